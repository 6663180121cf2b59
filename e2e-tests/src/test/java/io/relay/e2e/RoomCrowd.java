package io.relay.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.relay.testing.ServiceProcess;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.awaitility.Awaitility;

/**
 * Many room members, one WebSocket each, spread round-robin over push processes. Each member
 * records the ids of the message frames it receives, in arrival order, and how its socket was
 * closed, if it was.
 */
final class RoomCrowd implements AutoCloseable {

  private static final int CONNECTING_AT_ONCE = 25;
  /** A wave of connections gets its hellos within this, or the test fails naming who got none. */
  private static final Duration HELLO_WAIT = Duration.ofSeconds(60);

  /** One member's socket and what it saw. */
  static final class Member {
    final String uid;
    final List<String> ids = Collections.synchronizedList(new ArrayList<>());
    volatile Short closeCode;
    volatile boolean greeted;
    volatile WebSocket socket;

    Member(String uid) {
      this.uid = uid;
    }

    List<String> ids() {
      synchronized (ids) {
        return List.copyOf(ids);
      }
    }
  }

  final List<Member> members = new ArrayList<>();
  private final WebSocketClient client;

  private RoomCrowd(Vertx vertx, int size) {
    this.client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(size * 2)
        .setMaxFrameSize(1 << 20));
  }

  /** Connects every uid (token from {@code tokenOf}) and waits for every hello. */
  static RoomCrowd connect(Vertx vertx, List<String> uids, List<ServiceProcess> nodes,
      Function<String, String> tokenOf) {
    RoomCrowd crowd = new RoomCrowd(vertx, uids.size());
    for (int from = 0; from < uids.size(); from += CONNECTING_AT_ONCE) {
      List<Future<Void>> hellos = new ArrayList<>();
      for (int i = from; i < Math.min(uids.size(), from + CONNECTING_AT_ONCE); i++) {
        Member member = new Member(uids.get(i));
        crowd.members.add(member);
        hellos.add(crowd.open(member, nodes.get(i % nodes.size()).port(), tokenOf.apply(member.uid)));
      }
      try {
        Future.all(hellos).await(HELLO_WAIT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        List<String> silent = crowd.members.stream().filter(m -> !m.greeted).map(m -> m.uid).toList();
        crowd.close();
        throw new AssertionError("no hello within " + HELLO_WAIT + " for " + silent, e);
      }
    }
    return crowd;
  }

  /** The handlers go on before the socket connects, so no frame can arrive before them. */
  private Future<Void> open(Member member, int port, String token) {
    Promise<Void> hello = Promise.promise();
    ClientWebSocket socket = client.webSocket();
    socket.textMessageHandler(text -> {
      JsonObject frame = new JsonObject(text);
      String type = frame.getString("type");
      if ("hello".equals(type)) {
        member.greeted = true;
        hello.tryComplete();
      } else if ("message".equals(type)) {
        member.ids.add(frame.getString("id"));
      }
    });
    socket.closeHandler(v -> {
      member.closeCode = socket.closeStatusCode() == null ? -1 : socket.closeStatusCode();
      hello.tryFail(member.uid + " closed with " + member.closeCode + " before hello");
    });
    return socket.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port)
            .setURI("/v1/ws?token=" + token).setAllowOriginHeader(false))
        .compose(connected -> {
          member.socket = socket;
          return hello.future();
        });
  }

  /** Waits until every member has {@code count} messages (or one was closed). */
  void awaitEveryone(int count, Duration atMost) {
    Awaitility.await().atMost(atMost).pollInterval(Duration.ofMillis(200))
        .until(() -> members.stream().allMatch(m -> m.ids.size() >= count || m.closeCode != null));
  }

  /**
   * Asserts that every member got exactly {@code sent} (the message ids), once each and all in
   * the same order (the order of the room's log writes), and that no socket was closed.
   */
  void assertEveryoneGotAllInOneOrder(List<String> sent) {
    List<String> order = members.get(0).ids();
    assertThat(order).as("messages of %s", members.get(0).uid).hasSize(sent.size())
        .containsExactlyInAnyOrderElementsOf(sent);
    for (Member member : members) {
      assertThat(member.closeCode).as("close code of %s", member.uid).isNull();
      assertThat(member.ids()).as("messages of %s", member.uid).isEqualTo(order);
    }
  }

  @Override
  public void close() {
    for (Member member : members) {
      if (member.socket != null && member.closeCode == null) {
        member.socket.close();
      }
    }
    client.close().await();
  }
}
