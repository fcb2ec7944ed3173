package io.flotilla.gateway.tls;

import io.flotilla.ca.Pem;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Reads and writes the PEM files of the server's TLS identity. Key files are written readable by the
 * owner only (mode 600 where the file system has POSIX permissions), and every file is written to a
 * temporary file first and then moved into place, so a crash never leaves half a file.
 */
final class PemFiles {
  static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

  private PemFiles() {}

  /** Every certificate in the file, in order; at least one. */
  static List<X509Certificate> readCertificates(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      List<X509Certificate> certificates = CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
          .map(X509Certificate.class::cast).toList();
      if (certificates.isEmpty()) {
        throw new TlsSetupException(file + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
      }
      return certificates;
    } catch (NoSuchFileException e) {
      throw new TlsSetupException("The certificate file " + file + " does not exist", e);
    } catch (IOException | CertificateException e) {
      throw new TlsSetupException("Cannot read the certificates in " + file + ": " + e.getMessage(), e);
    }
  }

  /** The private key in the file: PKCS#8, PKCS#1 (RSA) or SEC1 (EC), unencrypted. */
  static PrivateKey readPrivateKey(Path file) {
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
        PEMParser parser = new PEMParser(reader)) {
      JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
      for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
        if (object instanceof PrivateKeyInfo info) {
          return converter.getPrivateKey(info);
        }
        if (object instanceof PEMKeyPair pair) {
          return converter.getKeyPair(pair).getPrivate();
        }
        if (object instanceof PKCS8EncryptedPrivateKeyInfo || object instanceof PEMEncryptedKeyPair) {
          throw new TlsSetupException("The private key in " + file + " is encrypted; give an unencrypted one "
              + "(openssl pkey -in " + file + " -out server.key) and protect it with file permissions");
        }
      }
      throw new TlsSetupException(file + " holds no PEM private key (-----BEGIN PRIVATE KEY-----)");
    } catch (NoSuchFileException e) {
      throw new TlsSetupException("The private key file " + file + " does not exist", e);
    } catch (IOException e) {
      // The parser's messages may quote the file's content, so they are not passed on.
      throw new TlsSetupException("Cannot read the private key in " + file + "; it must be an unencrypted PEM key");
    }
  }

  static void writeCertificates(Path file, List<X509Certificate> certificates) throws IOException {
    writeAtomically(file, certificatesPem(certificates), false);
  }

  /** The certificates as consecutive PEM blocks. */
  static String certificatesPem(List<X509Certificate> certificates) {
    StringBuilder pem = new StringBuilder();
    for (X509Certificate certificate : certificates) {
      try {
        pem.append(Pem.encode("CERTIFICATE", certificate.getEncoded()));
      } catch (CertificateEncodingException e) {
        throw new IllegalArgumentException("cannot encode the certificate " + certificate.getSubjectX500Principal(), e);
      }
    }
    return pem.toString();
  }

  /** Writes the key as PKCS#8 PEM, readable by the owner only. */
  static void writePrivateKey(Path file, PrivateKey key) throws IOException {
    writeAtomically(file, Pem.encode("PRIVATE KEY", key.getEncoded()), true);
  }

  static boolean hasPosixPermissions(Path directory) throws IOException {
    return Files.getFileStore(directory).supportsFileAttributeView(PosixFileAttributeView.class);
  }

  private static void writeAtomically(Path file, String content, boolean ownerOnly) throws IOException {
    Path directory = file.toAbsolutePath().getParent();
    Path temporary = hasPosixPermissions(directory)
        ? Files.createTempFile(directory, file.getFileName() + ".", ".tmp",
            PosixFilePermissions.asFileAttribute(ownerOnly ? OWNER_ONLY : PosixFilePermissions.fromString("rw-r--r--")))
        : Files.createTempFile(directory, file.getFileName() + ".", ".tmp");
    try {
      try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
        channel.write(ByteBuffer.wrap(content.getBytes(StandardCharsets.US_ASCII)));
        channel.force(true);
      }
      try {
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temporary);
    }
  }
}
