package io.relay.push.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ChannelHandlerContext;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.net.impl.VertxConnection;
import io.vertx.core.net.impl.VertxHandler;
import io.vertx.ext.web.Router;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.lang.reflect.Field;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * On the Vert.x version the project builds with, an upgraded socket lets go of its HTTP exchange
 * and its cross-thread write queue, and still works: frames both ways, Vert.x's own pong, the close
 * code. Fails when a Vert.x upgrade moves those internals (connections would silently stay bigger).
 */
@ExtendWith(VertxExtension.class)
class HandshakeLeftoversTest {

  private WebSocketClient client;

  @Test
  void anUpgradedSocketDropsItsHandshakeAndStillWorks(Vertx vertx, VertxTestContext test) {
    Router router = Router.router(vertx); // as on a push node: the socket the application sees is vertx-web's wrapper
    router.get("/ws").handler(ctx -> ctx.request().toWebSocket().onComplete(test.succeeding(socket -> test.verify(() -> {
      ChannelHandlerContext channel = NettyChannels.webSocketHandler(ctx.request());
      assertThat(socket.uri()).contains("token=secret");
      assertThat(HandshakeLeftovers.drop(channel)).isTrue();
      assertThat(socket.uri()).isNull();
      assertThat(socket.query()).isNull();
      assertThat(socket.headers()).isNull();
      VertxHandler<?> handler = (VertxHandler<?>) channel.handler();
      assertThat(field(VertxHandler.class, "connectionFactory").get(handler)).isNull();
      Object queue = field(VertxConnection.class, "outboundMessageQueue").get(handler.getConnection());
      assertThat(queue.getClass().getSimpleName()).isEqualTo("DirectOutboundMessageQueue");
      WebSocketTransport transport = new WebSocketTransport(socket, channel, 100, 1 << 20);
      socket.textMessageHandler(text -> {
        if (text.equals("bye")) {
          socket.close((short) 4008, "too slow");
        } else {
          transport.send("{\"echo\":\"" + text + "\"}");
        }
      });
    }))));
    vertx.createHttpServer(new HttpServerOptions().setStrictThreadMode(true)).requestHandler(router)
        .listen(0).onComplete(test.succeeding(server -> (client = vertx.createWebSocketClient())
            .connect(server.actualPort(), "127.0.0.1", "/ws?token=secret").onComplete(test.succeeding(ws -> {
              ws.pongHandler(pong -> ws.writeTextMessage("hi")); // Vert.x answered the ping itself
              ws.textMessageHandler(text -> test.verify(() -> {
                assertThat(text).isEqualTo("{\"echo\":\"hi\"}");
                ws.writeTextMessage("bye");
              }));
              ws.closeHandler(v -> test.verify(() -> {
                assertThat(ws.closeStatusCode()).isEqualTo((short) 4008);
                test.completeNow();
              }));
              ws.writePing(io.vertx.core.buffer.Buffer.buffer("p"));
            }))));
  }

  private static Field field(Class<?> owner, String name) throws ReflectiveOperationException {
    Field field = owner.getDeclaredField(name);
    field.setAccessible(true);
    return field;
  }
}
