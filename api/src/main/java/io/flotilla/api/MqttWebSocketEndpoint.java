package io.flotilla.api;

import io.flotilla.core.broker.MqttOverWebSocket;
import io.javalin.Javalin;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import io.javalin.websocket.WsContext;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.eclipse.jetty.websocket.api.WriteCallback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /mqtt}: MQTT over WebSocket on the HTTP port (MQTT 3.1.1/5.0 section 6). The handshake selects the
 * {@code mqtt} subprotocol (or Paho's legacy {@code mqttv3.1}); a client offering only other subprotocols is
 * refused, one offering none is accepted. Binary messages go to the broker as a byte stream; text messages
 * close the session (1003). Authentication is MQTT's own (CONNECT), so the upgrade needs no API token. Jetty's
 * idle timeout is off for these sessions: the broker enforces the MQTT keep-alive.
 */
final class MqttWebSocketEndpoint {
  static final String PATH = "/mqtt";
  private static final Logger LOG = LoggerFactory.getLogger(MqttWebSocketEndpoint.class);
  private static final String PROTOCOL_HEADER = "Sec-WebSocket-Protocol";
  private static final List<String> ACCEPTED = List.of(MqttOverWebSocket.SUBPROTOCOL, "mqttv3.1");

  private final MqttOverWebSocket broker;
  private final Map<Session, MqttOverWebSocket.Connection> connections = new ConcurrentHashMap<>();

  private MqttWebSocketEndpoint(MqttOverWebSocket broker) {
    this.broker = broker;
  }

  static void mount(Javalin app, MqttOverWebSocket broker) {
    MqttWebSocketEndpoint endpoint = new MqttWebSocketEndpoint(broker);
    app.wsBeforeUpgrade(PATH, MqttWebSocketEndpoint::selectSubprotocol);
    app.ws(PATH, ws -> {
      ws.onConnect(endpoint::opened);
      ws.onBinaryMessage(ctx -> endpoint.connection(ctx).onBinary(ctx.data(), ctx.offset(), ctx.length()));
      ws.onMessage(ctx -> ctx.closeSession(StatusCode.BAD_DATA, "MQTT needs binary messages"));
      ws.onClose(ctx -> endpoint.closed(ctx));
      ws.onError(ctx -> {
        LOG.debug("MQTT WebSocket session from {} failed", ctx.session.getRemoteAddress(), ctx.error());
        endpoint.closed(ctx);
      });
    });
  }

  /** Javalin answers with the first offered subprotocol; MQTT wants {@code mqtt} whatever its position. */
  private static void selectSubprotocol(Context ctx) {
    String offered = ctx.header(PROTOCOL_HEADER);
    if (offered == null || offered.isBlank()) {
      return;
    }
    List<String> protocols = Arrays.stream(offered.split(",")).map(String::trim).toList();
    for (String accepted : ACCEPTED) {
      if (protocols.contains(accepted)) {
        ctx.header(PROTOCOL_HEADER, accepted);
        return;
      }
    }
    throw new BadRequestResponse("The WebSocket subprotocol must be mqtt");
  }

  private void opened(WsContext ctx) {
    Session session = ctx.session;
    session.setIdleTimeout(Duration.ZERO);
    session.setMaxBinaryMessageSize(broker.maxMessageBytes());
    // Jetty splits outgoing messages larger than the maximum frame size (64 KiB) into continuation frames,
    // which some MQTT clients (Paho) do not put back together; one MQTT packet per frame suits them all.
    session.setMaxFrameSize(broker.maxMessageBytes());
    connections.put(session, broker.open(new JettyPeer(session)));
  }

  private MqttOverWebSocket.Connection connection(WsContext ctx) {
    MqttOverWebSocket.Connection c = connections.get(ctx.session);
    if (c == null) { // closed meanwhile
      throw new IllegalStateException("MQTT WebSocket session is closed");
    }
    return c;
  }

  private void closed(WsContext ctx) {
    MqttOverWebSocket.Connection c = connections.remove(ctx.session);
    if (c != null) {
      c.onClose();
    }
  }

  private record JettyPeer(Session session) implements MqttOverWebSocket.Peer {
    @Override
    public SocketAddress remoteAddress() {
      return session.getRemoteAddress();
    }

    @Override
    public void send(ByteBuffer bytes, Runnable done) {
      try {
        session.getRemote().sendBytes(bytes, new WriteCallback() {
          @Override
          public void writeFailed(Throwable x) {
            done.run();
            LOG.debug("Sending to the MQTT WebSocket client at {} failed", session.getRemoteAddress(), x);
            close();
          }

          @Override
          public void writeSuccess() {
            done.run();
          }
        });
      } catch (RuntimeException e) {
        done.run();
        close();
      }
    }

    @Override
    public void close() {
      if (session.isOpen()) {
        session.close(StatusCode.NORMAL, null);
      }
    }
  }
}
