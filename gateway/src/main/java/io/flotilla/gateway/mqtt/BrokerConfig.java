package io.flotilla.gateway.mqtt;

import java.time.Duration;
import java.util.Objects;

/**
 * How the MQTT broker listens and which limits it enforces.
 *
 * @param bindAddress the address to listen on; {@code 0.0.0.0} for every interface
 * @param port the TCP port; 0 picks any free port (see {@link MqttBroker#port()})
 * @param maxPacketSize the largest packet a client may send, in bytes; larger ones close the connection
 *     (MQTT 5: DISCONNECT 0x95) and are announced in CONNACK as "maximum packet size"
 * @param connectTimeout how long a new connection may take to send CONNECT and be authenticated
 * @param maxQueuedPerSession how many QoS 1/2 messages a session keeps waiting (offline, or beyond its
 *     send window); further ones are dropped and counted
 * @param maxInFlight the most QoS 1/2 messages sent to one client and not yet acknowledged; lowered to
 *     the client's MQTT 5 receive maximum when that is smaller
 * @param topicAliasMaximum how many topic aliases an MQTT 5 client may set towards the broker (0: none)
 * @param receiveMaximum how many QoS 2 messages an MQTT 5 client may have unacknowledged towards the
 *     broker; exceeding it closes the connection with DISCONNECT 0x93
 * @param maxClientIdLength the longest client identifier accepted, in characters
 * @param ioThreads the number of network event loop threads; 0 for Netty's default (twice the cores)
 * @param maxPublishRate PUBLISH packets per second one connection may send, with bursts of one second's
 *     worth; a faster client is not read from until its allowance refills (TCP back-pressure, nothing is
 *     lost). 0: unlimited
 * @param maxPublishBytesRate PUBLISH bytes per second one connection may send, handled like
 *     {@code maxPublishRate}. 0: unlimited
 * @param rateLimitDisconnectFactor a client that gets more than this many seconds' worth of either rate
 *     past its allowance before back-pressure takes hold (a pipelined flood, not a client that waits for
 *     TCP) is disconnected (MQTT 5: DISCONNECT 0x96 "message rate too high"). 0: never disconnect
 * @param maxConnectionsPerTenant how many clients of one tenant may be connected at once; a CONNECT past
 *     it is refused (MQTT 5: CONNACK 0x97 "quota exceeded", 3.1.1: 3 "server unavailable"); taking over
 *     a connected client id does not count as another connection. 0: unlimited
 */
public record BrokerConfig(String bindAddress, int port, int maxPacketSize, Duration connectTimeout,
    int maxQueuedPerSession, int maxInFlight, int topicAliasMaximum, int receiveMaximum, int maxClientIdLength,
    int ioThreads, int maxPublishRate, int maxPublishBytesRate, int rateLimitDisconnectFactor,
    int maxConnectionsPerTenant) {

  /** The largest packet size MQTT can express (remaining length 268,435,455 plus header). */
  public static final int PROTOCOL_MAX_PACKET_SIZE = 268_435_460;

  public BrokerConfig {
    Objects.requireNonNull(bindAddress, "bindAddress");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    check(port >= 0 && port <= 65_535, "port must be 0..65535, was " + port);
    check(maxPacketSize >= 64 && maxPacketSize <= PROTOCOL_MAX_PACKET_SIZE,
        "maxPacketSize must be 64.." + PROTOCOL_MAX_PACKET_SIZE + " bytes, was " + maxPacketSize);
    check(!connectTimeout.isNegative() && !connectTimeout.isZero(), "connectTimeout must be positive");
    check(maxQueuedPerSession >= 0, "maxQueuedPerSession must not be negative");
    check(maxInFlight >= 1 && maxInFlight <= 65_535, "maxInFlight must be 1..65535, was " + maxInFlight);
    check(topicAliasMaximum >= 0 && topicAliasMaximum <= 65_535, "topicAliasMaximum must be 0..65535");
    check(receiveMaximum >= 1 && receiveMaximum <= 65_535, "receiveMaximum must be 1..65535");
    check(maxClientIdLength >= 23 && maxClientIdLength <= 65_535, "maxClientIdLength must be 23..65535");
    check(ioThreads >= 0, "ioThreads must not be negative");
    check(maxPublishRate >= 0, "maxPublishRate must not be negative");
    check(maxPublishBytesRate >= 0, "maxPublishBytesRate must not be negative");
    check(rateLimitDisconnectFactor >= 0, "rateLimitDisconnectFactor must not be negative");
    check(maxConnectionsPerTenant >= 0, "maxConnectionsPerTenant must not be negative");
  }

  private static void check(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException("Invalid MQTT broker setting: " + message);
    }
  }

  /**
   * The defaults: every interface, port 1883, 1 MiB packets, 10 s to connect, 1,000 PUBLISH and 1 MiB per
   * second and connection (disconnected at 10 seconds' worth past that), no limit of connections per tenant.
   */
  public static BrokerConfig defaults() {
    return new BrokerConfig("0.0.0.0", 1883, 1024 * 1024, Duration.ofSeconds(10), 1000, 64, 16, 128, 256, 0,
        1000, 1024 * 1024, 10, 0);
  }

  public BrokerConfig withBindAddress(String address) {
    return new BrokerConfig(address, port, maxPacketSize, connectTimeout, maxQueuedPerSession, maxInFlight,
        topicAliasMaximum, receiveMaximum, maxClientIdLength, ioThreads, maxPublishRate, maxPublishBytesRate,
        rateLimitDisconnectFactor, maxConnectionsPerTenant);
  }

  public BrokerConfig withPort(int newPort) {
    return new BrokerConfig(bindAddress, newPort, maxPacketSize, connectTimeout, maxQueuedPerSession, maxInFlight,
        topicAliasMaximum, receiveMaximum, maxClientIdLength, ioThreads, maxPublishRate, maxPublishBytesRate,
        rateLimitDisconnectFactor, maxConnectionsPerTenant);
  }

  public BrokerConfig withMaxPacketSize(int bytes) {
    return new BrokerConfig(bindAddress, port, bytes, connectTimeout, maxQueuedPerSession, maxInFlight,
        topicAliasMaximum, receiveMaximum, maxClientIdLength, ioThreads, maxPublishRate, maxPublishBytesRate,
        rateLimitDisconnectFactor, maxConnectionsPerTenant);
  }

  public BrokerConfig withConnectTimeout(Duration timeout) {
    return new BrokerConfig(bindAddress, port, maxPacketSize, timeout, maxQueuedPerSession, maxInFlight,
        topicAliasMaximum, receiveMaximum, maxClientIdLength, ioThreads, maxPublishRate, maxPublishBytesRate,
        rateLimitDisconnectFactor, maxConnectionsPerTenant);
  }

  public BrokerConfig withMaxQueuedPerSession(int messages) {
    return new BrokerConfig(bindAddress, port, maxPacketSize, connectTimeout, messages, maxInFlight,
        topicAliasMaximum, receiveMaximum, maxClientIdLength, ioThreads, maxPublishRate, maxPublishBytesRate,
        rateLimitDisconnectFactor, maxConnectionsPerTenant);
  }

  public BrokerConfig withMaxInFlight(int messages) {
    return new BrokerConfig(bindAddress, port, maxPacketSize, connectTimeout, maxQueuedPerSession, messages,
        topicAliasMaximum, receiveMaximum, maxClientIdLength, ioThreads, maxPublishRate, maxPublishBytesRate,
        rateLimitDisconnectFactor, maxConnectionsPerTenant);
  }

  public BrokerConfig withTopicAliasMaximum(int aliases) {
    return new BrokerConfig(bindAddress, port, maxPacketSize, connectTimeout, maxQueuedPerSession, maxInFlight,
        aliases, receiveMaximum, maxClientIdLength, ioThreads, maxPublishRate, maxPublishBytesRate,
        rateLimitDisconnectFactor, maxConnectionsPerTenant);
  }

  public BrokerConfig withReceiveMaximum(int messages) {
    return new BrokerConfig(bindAddress, port, maxPacketSize, connectTimeout, maxQueuedPerSession, maxInFlight,
        topicAliasMaximum, messages, maxClientIdLength, ioThreads, maxPublishRate, maxPublishBytesRate,
        rateLimitDisconnectFactor, maxConnectionsPerTenant);
  }

  public BrokerConfig withIoThreads(int threads) {
    return new BrokerConfig(bindAddress, port, maxPacketSize, connectTimeout, maxQueuedPerSession, maxInFlight,
        topicAliasMaximum, receiveMaximum, maxClientIdLength, threads, maxPublishRate, maxPublishBytesRate,
        rateLimitDisconnectFactor, maxConnectionsPerTenant);
  }

  /** PUBLISH packets and bytes per second and connection; 0 leaves that one unlimited. */
  public BrokerConfig withPublishRateLimit(int messagesPerSecond, int bytesPerSecond) {
    return new BrokerConfig(bindAddress, port, maxPacketSize, connectTimeout, maxQueuedPerSession, maxInFlight,
        topicAliasMaximum, receiveMaximum, maxClientIdLength, ioThreads, messagesPerSecond, bytesPerSecond,
        rateLimitDisconnectFactor, maxConnectionsPerTenant);
  }

  public BrokerConfig withRateLimitDisconnectFactor(int seconds) {
    return new BrokerConfig(bindAddress, port, maxPacketSize, connectTimeout, maxQueuedPerSession, maxInFlight,
        topicAliasMaximum, receiveMaximum, maxClientIdLength, ioThreads, maxPublishRate, maxPublishBytesRate,
        seconds, maxConnectionsPerTenant);
  }

  public BrokerConfig withMaxConnectionsPerTenant(int connections) {
    return new BrokerConfig(bindAddress, port, maxPacketSize, connectTimeout, maxQueuedPerSession, maxInFlight,
        topicAliasMaximum, receiveMaximum, maxClientIdLength, ioThreads, maxPublishRate, maxPublishBytesRate,
        rateLimitDisconnectFactor, connections);
  }
}
