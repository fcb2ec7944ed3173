package io.flotilla.ca;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Locale;

/** Certificate serial numbers: random, so that they are unique and unpredictable (RFC 5280 allows 20 octets). */
public final class Serials {
  private static final SecureRandom RANDOM = new SecureRandom();

  private Serials() {}

  /** A positive serial of 128 random bits. */
  public static BigInteger random() {
    byte[] bytes = new byte[16];
    BigInteger serial;
    do {
      RANDOM.nextBytes(bytes);
      serial = new BigInteger(1, bytes);
    } while (serial.signum() == 0);
    return serial;
  }

  /** Upper-case hex with an even number of digits, as {@code openssl x509 -serial} and {@code openssl crl} print it. */
  public static String hex(BigInteger serial) {
    String hex = serial.toString(16).toUpperCase(Locale.ROOT);
    return hex.length() % 2 == 0 ? hex : "0" + hex;
  }

  /** The serial that {@link #hex} printed. */
  static BigInteger parse(String hex) {
    return new BigInteger(hex, 16);
  }
}
