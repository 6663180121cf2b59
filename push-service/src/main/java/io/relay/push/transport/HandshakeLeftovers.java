package io.relay.push.transport;

import io.netty.channel.ChannelHandlerContext;
import io.vertx.core.net.impl.VertxConnection;
import io.vertx.core.net.impl.VertxHandler;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets go of what Vert.x 5 keeps per open WebSocket but never uses again, about half of an idle
 * connection's heap (docs/performance.md#cost-per-message-and-per-connection):
 * <ul>
 *   <li>the handler of an upgraded connection keeps the function that built its WebSocket, and
 *       that function holds the whole HTTP exchange it was upgraded from: the HTTP connection
 *       with its own 1024-slot write queue, the request, response, headers and routing context;</li>
 *   <li>the WebSocket's connection has a multi-producer write queue (another 1024-slot array) for
 *       writes from other threads; this node writes and closes its sockets from their event loop
 *       only, so it gets the direct write path Vert.x gives HTTP connections in strict thread
 *       mode instead;</li>
 *   <li>the socket keeps the handshake's headers and its URI twice (whole and as the query), each
 *       with the token in it: nothing reads them once the connection is accepted.</li>
 * </ul>
 * Both are private to Vert.x, so they are reached by reflection, checked once at class load: if
 * a Vert.x upgrade renames them, connections keep working as before, only bigger (logged once;
 * HandshakeLeftoversTest fails on such an upgrade).
 */
final class HandshakeLeftovers {

  private static final Logger LOG = LoggerFactory.getLogger(HandshakeLeftovers.class);
  private static final Field CONNECTION_FACTORY;
  private static final Field WRITE_QUEUE;
  private static final Constructor<?> DIRECT_WRITES;
  /** The connection's WebSocket (what vertx-web's wrapper hands the application wraps it). */
  private static final Field WEB_SOCKET;
  /** The WebSocket's handshake headers, URI and query. */
  private static final Field[] HANDSHAKE;

  static {
    Field factory = null;
    Field queue = null;
    Constructor<?> direct = null;
    Field webSocket = null;
    Field[] handshake = null;
    try {
      factory = VertxHandler.class.getDeclaredField("connectionFactory");
      factory.setAccessible(true);
      queue = VertxConnection.class.getDeclaredField("outboundMessageQueue");
      queue.setAccessible(true);
      direct = Class.forName(VertxConnection.class.getName() + "$DirectOutboundMessageQueue")
          .getDeclaredConstructor(VertxConnection.class);
      direct.setAccessible(true);
      webSocket = Class.forName("io.vertx.core.http.impl.WebSocketConnectionImpl").getDeclaredField("webSocket");
      webSocket.setAccessible(true);
      Class<?> socket = Class.forName("io.vertx.core.http.impl.ServerWebSocketImpl");
      handshake = new Field[] {socket.getSuperclass().getDeclaredField("headers"), socket.getDeclaredField("uri"),
          socket.getDeclaredField("query")};
      for (Field field : handshake) {
        field.setAccessible(true);
      }
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.warn("this Vert.x version keeps its WebSocket internals elsewhere: idle connections stay bigger ({})",
          e.toString());
      factory = null;
    }
    CONNECTION_FACTORY = factory;
    WRITE_QUEUE = queue;
    DIRECT_WRITES = direct;
    WEB_SOCKET = webSocket;
    HANDSHAKE = handshake;
  }

  private HandshakeLeftovers() {
  }

  /**
   * Drops them for the WebSocket whose Vert.x handler is {@code handler}; call on its event loop
   * in the task that completed the upgrade, once its headers and URI were read and before anything
   * is written to it. The socket's {@code headers()}, {@code uri()} and {@code query()} answer null
   * from then on. True when done (false: this Vert.x version is not the one this was written for).
   */
  static boolean drop(ChannelHandlerContext handler) {
    if (CONNECTION_FACTORY == null || !(handler.handler() instanceof VertxHandler<?> vertxHandler)) {
      return false;
    }
    try {
      VertxConnection connection = vertxHandler.getConnection();
      Object socket = connection == null ? null : WEB_SOCKET.get(connection);
      if (!HANDSHAKE[1].getDeclaringClass().isInstance(socket)) {
        return false;
      }
      for (Field field : HANDSHAKE) {
        field.set(socket, null);
      }
      CONNECTION_FACTORY.set(vertxHandler, null); // used once, when the handler was added
      WRITE_QUEUE.set(connection, DIRECT_WRITES.newInstance(connection));
      return true;
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.debug("could not slim a WebSocket connection: {}", e.toString());
      return false;
    }
  }
}
