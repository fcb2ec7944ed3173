package io.flotilla.gateway.mqtt;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** A tiny MQTT client that sends exactly the bytes a test writes and reads packets back raw. */
final class RawClient implements AutoCloseable {

  /** A received packet: its type (high nibble), flags (low nibble) and everything after the length. */
  record Packet(int type, int flags, byte[] body) {
    int byteAt(int i) {
      return body[i] & 0xFF;
    }
  }

  static final int CONNACK = 2;
  static final int PUBLISH = 3;
  static final int PUBACK = 4;
  static final int PUBREC = 5;
  static final int PUBCOMP = 7;
  static final int SUBACK = 9;
  static final int UNSUBACK = 11;
  static final int PINGRESP = 13;
  static final int DISCONNECT = 14;

  private final Socket socket;
  private final DataInputStream in;

  RawClient(int port) throws IOException {
    socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(5000);
    in = new DataInputStream(socket.getInputStream());
  }

  RawClient send(byte[] bytes) throws IOException {
    socket.getOutputStream().write(bytes);
    socket.getOutputStream().flush();
    return this;
  }

  /** The next packet; fails when the connection closes or nothing comes within 5 s. */
  Packet read() throws IOException {
    int header = in.readUnsignedByte();
    int length = 0;
    int multiplier = 1;
    int digit;
    do {
      digit = in.readUnsignedByte();
      length += (digit & 127) * multiplier;
      multiplier *= 128;
    } while ((digit & 128) != 0);
    byte[] body = new byte[length];
    in.readFully(body);
    return new Packet(header >> 4, header & 0x0F, body);
  }

  /** True when the broker closes the connection within the socket timeout (after any packets it sent). */
  boolean closedByBroker() throws IOException {
    try {
      while (in.read() >= 0) {
        // skip whatever came before the close
      }
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (SocketException | EOFException e) {
      return true; // reset by peer counts as closed
    }
  }

  void timeout(int millis) throws SocketException {
    socket.setSoTimeout(millis);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  // ---- building packets: a fixed header byte, the remaining length, then the fields ------------------

  static byte[] packet(int firstByte, byte[]... fields) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (byte[] f : fields) {
      body.writeBytes(f);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(firstByte);
    out.writeBytes(varInt(body.size()));
    out.writeBytes(body.toByteArray());
    return out.toByteArray();
  }

  static byte[] varInt(int value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    do {
      int digit = value % 128;
      value /= 128;
      out.write(value > 0 ? digit | 128 : digit);
    } while (value > 0);
    return out.toByteArray();
  }

  static byte[] str(String s) {
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    return concat(u16(utf8.length), utf8);
  }

  static byte[] u16(int v) {
    return new byte[] {(byte) (v >> 8), (byte) v};
  }

  static byte[] u32(long v) {
    return new byte[] {(byte) (v >> 24), (byte) (v >> 16), (byte) (v >> 8), (byte) v};
  }

  static byte[] bytes(int... values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      b[i] = (byte) values[i];
    }
    return b;
  }

  /** MQTT 5 properties: their length, then the properties. */
  static byte[] props(byte[]... properties) {
    byte[] all = concat(properties);
    return concat(varInt(all.length), all);
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  /** A plain MQTT 3.1.1 CONNECT with clean session. */
  static byte[] connect311(String clientId) {
    return packet(0x10,
        str("MQTT"),     // protocol name
        bytes(4),        // protocol level 4 = 3.1.1
        bytes(0x02),     // flags: clean session
        u16(60),         // keep alive seconds
        str(clientId));  // client identifier
  }

  /** A plain MQTT 5 CONNECT with clean start and the given CONNECT properties. */
  static byte[] connect5(String clientId, byte[] properties) {
    return packet(0x10,
        str("MQTT"),     // protocol name
        bytes(5),        // protocol level 5
        bytes(0x02),     // flags: clean start
        u16(60),         // keep alive seconds
        properties,      // CONNECT properties
        str(clientId));  // client identifier
  }

  /** Connects with MQTT 3.1.1 and checks the CONNACK accepts. */
  static RawClient connected311(int port, String clientId) throws IOException {
    RawClient c = new RawClient(port).send(connect311(clientId));
    Packet ack = c.read();
    if (ack.type() != CONNACK || ack.byteAt(1) != 0) {
      throw new IllegalStateException("CONNECT refused: " + ack);
    }
    return c;
  }

  /** Connects with MQTT 5 and checks the CONNACK accepts. */
  static RawClient connected5(int port, String clientId) throws IOException {
    RawClient c = new RawClient(port).send(connect5(clientId, props()));
    Packet ack = c.read();
    if (ack.type() != CONNACK || ack.byteAt(1) != 0) {
      throw new IllegalStateException("CONNECT refused: " + ack);
    }
    return c;
  }

  /** PINGREQ answered by PINGRESP: the connection works. */
  boolean pings() throws IOException {
    send(bytes(0xC0, 0x00));
    return read().type() == PINGRESP;
  }
}
