package io.relay.push.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.relay.push.session.SharedFrame;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class SharedTextFramesTest {

  private static final int SOCKETS = 5;
  private static final int ROUNDS = 3;

  @Test
  void oneEncodedFrameReachesEverySocketIntactEveryTime(Vertx vertx, VertxTestContext test) {
    String text = "{\"offset\":\"1-0\",\"type\":\"message\",\"body\":\"s\u00e9at 12 \u2713\"}";
    SharedFrame frame = new SharedFrame("channel", text);
    List<ServerWebSocket> sockets = new ArrayList<>();
    Checkpoint received = test.checkpoint(SOCKETS * ROUNDS);
    HttpServer server = vertx.createHttpServer().webSocketHandler(socket -> socket.textMessageHandler(ready -> {
      sockets.add(socket);
      if (sockets.size() == SOCKETS) {
        for (int round = 0; round < ROUNDS; round++) {
          for (ServerWebSocket each : sockets) {
            each.writeFrame(SharedTextFrames.of(frame.encoded(SharedTextFrames.UTF8)));
          }
        }
        test.verify(() -> {
          Buffer bytes = frame.encoded(SharedTextFrames.UTF8);
          assertThat(bytes).isSameAs(frame.encoded(SharedTextFrames.UTF8)); // encoded once
          assertThat(bytes.toString()).isEqualTo(text); // neither consumed nor released
        });
      }
    }));
    server.listen(0).onComplete(test.succeeding(s -> {
      WebSocketClient client = vertx.createWebSocketClient();
      for (int i = 0; i < SOCKETS; i++) {
        client.connect(s.actualPort(), "127.0.0.1", "/").onComplete(test.succeeding(ws -> {
          ws.textMessageHandler(message -> test.verify(() -> {
            assertThat(message).isEqualTo(text);
            received.flag();
          }));
          ws.writeTextMessage("ready");
        }));
      }
    }));
  }
}
