package io.flotilla.gateway.tls;

import io.flotilla.ca.CaCertificates;
import io.flotilla.ca.KeyPairs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CA a server creates for itself so that TLS works without configured certificates. It lives in one
 * folder (normally {@code <data>/tls}): {@code ca.pem} and {@code ca.key} (the CA, ECDSA P-256, ten years),
 * {@code server.pem} (the server certificate, then the CA) and {@code server.key}. Keys are PKCS#8 PEM
 * with mode 600.
 *
 * <p>The CA is made once and then kept, because devices trust it. The server certificate is reissued
 * (with a new key) when it expires within 30 days, when the names it should carry changed, or when it
 * is missing, damaged or not from this CA. This class is for the server's own certificate only; the
 * CAs that issue device certificates are the tenants'.
 */
public final class ServerCertificateAuthority {
  static final Duration CA_VALIDITY = Duration.ofDays(3653);
  static final Duration SERVER_VALIDITY = Duration.ofDays(397);
  static final Duration RENEW_BEFORE = Duration.ofDays(30);
  /** Certificates start an hour in the past so that clients with slightly slow clocks accept them. */
  private static final Duration BACKDATE = Duration.ofHours(1);
  private static final Logger LOG = LoggerFactory.getLogger(ServerCertificateAuthority.class);

  private final Path directory;
  private final Clock clock;

  public ServerCertificateAuthority(Path directory, Clock clock) {
    this.directory = directory;
    this.clock = clock;
  }

  /** The CA in {@code <dataDir>/tls}. */
  public static ServerCertificateAuthority inDataDir(Path dataDir, Clock clock) {
    return new ServerCertificateAuthority(dataDir.resolve("tls"), clock);
  }

  public Path caCertificateFile() {
    return directory.resolve("ca.pem");
  }

  public Path serverChainFile() {
    return directory.resolve("server.pem");
  }

  Path caKeyFile() {
    return directory.resolve("ca.key");
  }

  Path serverKeyFile() {
    return directory.resolve("server.key");
  }

  /**
   * Creates the CA if there is none, reissues the server certificate if it is due, and returns the
   * identity to serve. Calling it again when nothing is due only reads the files.
   *
   * @throws TlsSetupException when the CA's files are damaged, the CA has expired or the folder is not writable
   */
  public synchronized ServerIdentity ensure(ServerNames names) {
    try {
      createDirectory();
      CaKeys ca = loadOrCreateCa();
      Optional<ServerIdentity> current = loadServer(ca);
      Optional<String> reason = current.isEmpty() ? Optional.of("there was no usable one") : reissueReason(current.get(), ca, names);
      if (reason.isEmpty()) {
        return current.get();
      }
      ServerIdentity issued = issueServerCertificate(ca, names);
      LOG.info("Issued the server TLS certificate for {} valid until {} because {}; devices trust it through {}",
          names.all(), issued.certificate().getNotAfter().toInstant(), reason.get(), caCertificateFile());
      return issued;
    } catch (IOException e) {
      throw new TlsSetupException("Cannot write the server's TLS files in " + directory + " (" + e
          + "); the data folder must be writable by the server", e);
    }
  }

  private Optional<String> reissueReason(ServerIdentity current, CaKeys ca, ServerNames names) {
    Instant notAfter = current.certificate().getNotAfter().toInstant();
    if (notAfter.isBefore(clock.instant().plus(RENEW_BEFORE)) && notAfter.isBefore(caNotAfter(ca))) {
      return Optional.of("the previous one expires on " + notAfter);
    }
    ServerNames named = ServerNames.of(current.certificate());
    if (!named.equals(names)) {
      return Optional.of("the names changed from " + named.all());
    }
    return Optional.empty();
  }

  private ServerIdentity issueServerCertificate(CaKeys ca, ServerNames names) throws IOException {
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    Instant notAfter = now.plus(SERVER_VALIDITY).isBefore(caNotAfter(ca)) ? now.plus(SERVER_VALIDITY) : caNotAfter(ca);
    KeyPair server = KeyPairs.newP256();
    X509Certificate certificate = CertificateIssuer.serverCertificate(ca.certificate(), ca.key(), server.getPublic(),
        names, now.minus(BACKDATE), notAfter);
    List<X509Certificate> chain = List.of(certificate, ca.certificate());
    // Key first: a crash in between leaves a key that does not match, which the next start repairs.
    PemFiles.writePrivateKey(serverKeyFile(), server.getPrivate());
    PemFiles.writeCertificates(serverChainFile(), chain);
    return new ServerIdentity(chain, server.getPrivate(), Optional.of(ca.certificate()));
  }

  private Optional<ServerIdentity> loadServer(CaKeys ca) {
    if (!Files.exists(serverChainFile()) || !Files.exists(serverKeyFile())) {
      return Optional.empty();
    }
    try {
      List<X509Certificate> chain = PemFiles.readCertificates(serverChainFile());
      chain.get(0).verify(ca.certificate().getPublicKey());
      if (chain.size() != 2 || !chain.get(1).equals(ca.certificate())) {
        throw new GeneralSecurityException("the chain does not end with the CA");
      }
      return Optional.of(new ServerIdentity(chain, PemFiles.readPrivateKey(serverKeyFile()), Optional.of(ca.certificate())));
    } catch (TlsSetupException | GeneralSecurityException | IllegalArgumentException e) {
      LOG.warn("The server TLS certificate in {} is damaged or not from the CA in {}; issuing a new one",
          serverChainFile(), caCertificateFile());
      return Optional.empty();
    }
  }

  private CaKeys loadOrCreateCa() throws IOException {
    if (!Files.exists(caCertificateFile())) {
      return createCa();
    }
    X509Certificate certificate = PemFiles.readCertificates(caCertificateFile()).get(0);
    if (!Files.exists(caKeyFile())) {
      throw new TlsSetupException("The server CA's key " + caKeyFile() + " is missing while its certificate "
          + caCertificateFile() + " exists; restore the key from a backup, or delete " + caCertificateFile()
          + " to create a new CA (devices must then be given the new ca.pem)");
    }
    PrivateKey key = PemFiles.readPrivateKey(caKeyFile());
    if (!ServerIdentity.keyMatches(key, certificate.getPublicKey())) {
      throw new TlsSetupException("The server CA's key " + caKeyFile() + " does not belong to " + caCertificateFile()
          + "; restore the pair from a backup, or delete both to create a new CA");
    }
    CaKeys ca = new CaKeys(certificate, key);
    if (!caNotAfter(ca).isAfter(clock.instant())) {
      throw new TlsSetupException("The server CA in " + caCertificateFile() + " expired on " + caNotAfter(ca)
          + "; delete ca.pem and ca.key there to create a new one, and give devices the new ca.pem");
    }
    if (caNotAfter(ca).isBefore(clock.instant().plus(SERVER_VALIDITY))) {
      LOG.warn("The server CA in {} expires on {}; plan to replace it (delete ca.pem and ca.key) and give "
          + "devices the new ca.pem", caCertificateFile(), caNotAfter(ca));
    }
    return ca;
  }

  private CaKeys createCa() throws IOException {
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    byte[] id = new byte[4];
    new SecureRandom().nextBytes(id);
    String commonName = "Flotilla server CA " + HexFormat.of().formatHex(id);
    KeyPair keys = KeyPairs.newP256();
    X509Certificate certificate = CaCertificates.selfSigned(keys, commonName, now.minus(BACKDATE),
        now.plus(CA_VALIDITY));
    // Key first: without ca.pem the CA does not exist yet, so a crash in between only means starting over.
    PemFiles.writePrivateKey(caKeyFile(), keys.getPrivate());
    PemFiles.writeCertificates(caCertificateFile(), List.of(certificate));
    LOG.info("Created the server CA '{}' in {}; devices trust the server by its certificate {} "
        + "(also served at GET /api/v1/server/ca.pem)", commonName, directory, caCertificateFile());
    return new CaKeys(certificate, keys.getPrivate());
  }

  private void createDirectory() throws IOException {
    if (Files.isDirectory(directory)) {
      return;
    }
    Files.createDirectories(directory.toAbsolutePath().getParent());
    if (PemFiles.hasPosixPermissions(directory.toAbsolutePath().getParent())) {
      Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } else {
      Files.createDirectories(directory);
    }
  }

  private static Instant caNotAfter(CaKeys ca) {
    return ca.certificate().getNotAfter().toInstant();
  }

  private record CaKeys(X509Certificate certificate, PrivateKey key) {
    @Override
    public String toString() {
      return "CaKeys[" + certificate.getSubjectX500Principal() + "]";
    }
  }
}
