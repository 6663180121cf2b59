package io.relay.push.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.relay.model.CloseCode;
import io.relay.model.LogEntry;
import io.relay.model.Seq;
import io.relay.push.session.SharedFrame;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Frames written below Vert.x reach real WebSocket clients whole, in order, each socket its own copy. */
@ExtendWith(VertxExtension.class)
class WebSocketTransportTest {

  private static final int SOCKETS = 5;
  private static final int ROUNDS = 3;
  private static final String CHANNEL_FRAME = "{\"offset\":\"1-0\",\"type\":\"message\",\"body\":\"s\u00e9at 12 \u2713\"}";
  /** Over {@link SocketWriter#ALWAYS_COPY}: a socket that is behind gets a view of it. */
  private static final String LARGE_CHANNEL_FRAME = "{\"offset\":\"2-0\",\"type\":\"message\",\"body\":\""
      + "s\u00e9at ".repeat(300) + "\"}";
  private static final LogEntry ENTRY = new LogEntry(new Seq(1_732_300_000_000L, 2),
      "{\"type\":\"message\",\"room\":\"r1\",\"body\":\"h\u00e9llo\"}");
  private static final String LONG_FRAME = "{\"type\":\"message\",\"body\":\"" + "\u2713".repeat(40_000) + "\"}";

  /**
   * Held for the whole test: Vert.x closes a client, and its connections, once it is no longer
   * reachable, which a garbage collection during the handshake would otherwise do.
   */
  private WebSocketClient client;

  @Test
  void everySocketGetsEveryFrameWholeAndInOrderAndItsQueueEmpties(Vertx vertx, VertxTestContext test) {
    SharedFrame shared = new SharedFrame("channel", CHANNEL_FRAME, true);
    SharedFrame large = new SharedFrame("channel", LARGE_CHANNEL_FRAME, true);
    List<String> expected = new ArrayList<>();
    for (int round = 0; round < ROUNDS; round++) {
      expected.addAll(List.of(CHANNEL_FRAME, LARGE_CHANNEL_FRAME, ENTRY.frame(), "{\"type\":\"pong\"}", LONG_FRAME));
    }
    List<WebSocketTransport> transports = new ArrayList<>();
    Checkpoint delivered = test.checkpoint(SOCKETS);
    Checkpoint drained = test.checkpoint(SOCKETS);
    int[] drainedSockets = {0};
    vertx.createHttpServer().requestHandler(request -> request.toWebSocket().onComplete(test.succeeding(socket -> {
      WebSocketTransport transport = new WebSocketTransport(socket, NettyChannels.webSocketHandler(request), 100,
          600_000);
      socket.textMessageHandler(ready -> test.verify(() -> {
        transports.add(transport);
        if (transports.size() < SOCKETS) {
          return;
        }
        for (int round = 0; round < ROUNDS; round++) {
          for (WebSocketTransport each : transports) { // as a fan-out does: every socket, message by message
            assertThat(each.send(shared)).isTrue();
            assertThat(each.send(large)).isTrue();
            assertThat(each.send(ENTRY)).isTrue();
            assertThat(each.send("{\"type\":\"pong\"}")).isTrue();
            assertThat(each.send(LONG_FRAME)).isTrue();
          }
        }
        // 15 frames of at most 100, but about 370 KB: over half the byte bound until they are written out,
        // then the send queue gets them all back
        assertThat(transports.get(0).writable().isComplete()).isFalse();
        transports.forEach(each -> each.writable().onComplete(test.succeeding(v -> test.verify(() -> {
          // Each socket copied the small frame; the large one too until the long frames put it
          // behind, then it wrote views of the one wire buffer: whole, and only the frame holds it now.
          ByteBuf wire = large.encoded(WireFrames.SHARED);
          assertThat(wire.readableBytes()).isEqualTo(WireFrames.textLength(large.utf8().length));
          if (++drainedSockets[0] == SOCKETS) {
            assertThat(wire.refCnt()).isEqualTo(1);
          }
          drained.flag();
        }))));
      }));
    }))).listen(0).onComplete(test.succeeding(server -> {
      client = vertx.createWebSocketClient();
      for (int i = 0; i < SOCKETS; i++) {
        client.connect(server.actualPort(), "127.0.0.1", "/").onComplete(test.succeeding(ws -> receive(ws, expected,
            delivered::flag, test)));
      }
    }));
  }

  @Test
  void framesSentBeforeACloseArriveBeforeIt(Vertx vertx, VertxTestContext test) {
    List<String> received = new ArrayList<>();
    vertx.createHttpServer().requestHandler(request -> request.toWebSocket().onComplete(test.succeeding(socket -> {
      WebSocketTransport transport = new WebSocketTransport(socket, NettyChannels.webSocketHandler(request), 100,
          1 << 20);
      socket.textMessageHandler(ready -> {
        transport.send("{\"n\":1}");
        transport.send(ENTRY);
        transport.close(CloseCode.TOO_SLOW); // in the same task: the two frames are not flushed yet
      });
    }))).listen(0).onComplete(test.succeeding(server -> (client = vertx.createWebSocketClient())
        .connect(server.actualPort(), "127.0.0.1", "/").onComplete(test.succeeding(ws -> {
          ws.textMessageHandler(received::add);
          ws.closeHandler(v -> test.verify(() -> {
            assertThat(received).containsExactly("{\"n\":1}", ENTRY.frame());
            assertThat(ws.closeStatusCode()).isEqualTo((short) CloseCode.TOO_SLOW.code());
            test.completeNow();
          }));
          ws.writeTextMessage("ready");
        }))));
  }

  private static void receive(WebSocket ws, List<String> expected, Runnable done, VertxTestContext test) {
    List<String> received = new ArrayList<>();
    ws.textMessageHandler(message -> test.verify(() -> {
      received.add(message);
      if (received.size() == expected.size()) {
        assertThat(received).isEqualTo(expected);
        done.run();
      }
    }));
    ws.writeTextMessage("ready");
  }
}
