package io.relay.e2e;

import static io.relay.e2e.ClusterStack.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.relay.model.RedisKeys;
import io.relay.testing.RedisProcess;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A primary SIGKILLed while messages flow, with {@code RELAY_REDIS_WAIT_REPLICAS=1}: every send is
 * retried with the same {@code clientMsgId} until it gets a 2xx, and then every message answered
 * 2xx is in the recipient's and the sender's log exactly once, in the order each sender sent it,
 * as a client resuming from the start reads it, and the clients that stayed connected through the
 * failover got each once as well. The killed node is restarted after the failover, as an operator
 * would: until then the promoted primary has no replica to confirm a write, so its shard answers
 * 503 and the senders keep retrying.
 */
class ClusterFailoverIT {

  /** Messages per (sender, recipient) pair, sent one after the other; 9 pairs. */
  static final int PER_PAIR = 34;
  static final long RETRY_MS = 100;
  static final long GIVE_UP_MS = 60_000;

  static ClusterStack stack;

  @BeforeAll
  static void start() {
    stack = new ClusterStack(1, 1, Map.of("RELAY_REDIS_WAIT_REPLICAS", "1"));
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  record Pair(int index, String sender, String senderToken, String recipient) {
  }

  /** What one message took: its id once answered 2xx, and the attempts it needed. */
  record Outcome(String id, int attempts) {
  }

  private final Map<String, Outcome> outcomes = new ConcurrentHashMap<>();
  private final AtomicInteger answered = new AtomicInteger();

  @Test
  void aPrimaryKilledWhileMessagesFlowLosesAndRepeatsNothingAnswered2xx() {
    List<String> senders = stack.usersOnEveryShard("sender");
    List<String> recipients = stack.usersOnEveryShard("rcpt");
    List<Pair> pairs = new ArrayList<>();
    for (String sender : senders) {
      String token = stack.token(sender);
      for (String recipient : recipients) {
        pairs.add(new Pair(pairs.size(), sender, token, recipient));
      }
    }
    Map<String, String> tokens = new ConcurrentHashMap<>();
    recipients.forEach(uid -> tokens.put(uid, stack.token(uid)));
    senders.forEach(uid -> tokens.put(uid, stack.token(uid)));
    List<WsClient> live = new ArrayList<>();
    try {
      for (String recipient : recipients) {
        WsClient ws = stack.connect(stack.push.get(0), tokens.get(recipient), "");
        ws.hello();
        live.add(ws);
      }

      long started = System.nanoTime();
      Future<?> all = Future.all(pairs.stream().map(pair -> sendFrom(pair, 0)).toList());
      await().atMost(Duration.ofSeconds(60)).until(() -> answered.get() >= pairs.size() * PER_PAIR / 3);
      RedisProcess killed = stack.redis.primaryFor(RedisKeys.log(recipients.get(0)));
      stack.redis.killPrimary(killed);
      int answeredAtKill = answered.get();
      stack.redis.awaitFailover(killed);
      // The promoted replica has no replica of its own: with WAIT 1 its shard answers 503 until the
      // killed node is back (it rejoins as the new primary's replica). The retries ride that out.
      stack.redis.restart(killed);
      all.timeout(GIVE_UP_MS * 2, TimeUnit.MILLISECONDS).await();
      long tookMs = (System.nanoTime() - started) / 1_000_000;

      int sent = outcomes.size();
      long firstTry = outcomes.values().stream().filter(o -> o.attempts() == 1).count();
      long retried = sent - firstTry;
      int attempts = outcomes.values().stream().mapToInt(Outcome::attempts).sum();
      assertThat(sent).isEqualTo(pairs.size() * PER_PAIR);

      // Every message in the recipient's log and the sender's log exactly once, each sender's in order.
      int foundByRecipients = 0;
      for (String recipient : recipients) {
        foundByRecipients += assertLogHoldsExactly(tokens.get(recipient), pairs.stream()
            .filter(pair -> pair.recipient().equals(recipient)).toList());
      }
      int foundBySenders = 0;
      for (String sender : senders) {
        foundBySenders += assertLogHoldsExactly(tokens.get(sender), pairs.stream()
            .filter(pair -> pair.sender().equals(sender)).toList());
      }
      // The clients connected all along: everything once, in order, though their shard failed over.
      for (int i = 0; i < recipients.size(); i++) {
        String recipient = recipients.get(i);
        assertDeliveredExactly(live.get(i), pairs.stream().filter(pair -> pair.recipient().equals(recipient)).toList());
      }

      System.out.printf("ClusterFailoverIT: killed primary port %d after %d answered; sent %d messages, "
              + "2xx on the first try %d, retried %d (%d attempts in all), found %d in recipients' logs and %d in "
              + "senders' logs, each once; %d ms%n", killed.port(), answeredAtKill, sent, firstTry, retried, attempts,
          foundByRecipients, foundBySenders, tookMs);
      assertThat(foundByRecipients).isEqualTo(sent);
      assertThat(foundBySenders).isEqualTo(sent);
    } finally {
      live.forEach(WsClient::close);
    }
  }

  /** Sends the pair's messages from {@code k} on, each retried until 2xx before the next. */
  private Future<Void> sendFrom(Pair pair, int k) {
    if (k == PER_PAIR) {
      return Future.succeededFuture();
    }
    return sendUntil2xx(pair, k, 1, System.nanoTime()).compose(v -> sendFrom(pair, k + 1));
  }

  private Future<Void> sendUntil2xx(Pair pair, int k, int attempt, long since) {
    JsonObject message = text(pair.recipient(), label(pair, k)).put("clientMsgId", label(pair, k));
    return stack.post(stack.ingest.get(0), "/v1/messages", pair.senderToken(), message).transform(ar -> {
      if (ar.succeeded() && ar.result().statusCode() / 100 == 2) {
        outcomes.put(label(pair, k), new Outcome(ar.result().bodyAsJsonObject().getString("id"), attempt));
        answered.incrementAndGet();
        return Future.succeededFuture();
      }
      if (System.nanoTime() - since > TimeUnit.MILLISECONDS.toNanos(GIVE_UP_MS)) {
        return Future.failedFuture("no 2xx for " + label(pair, k) + " after " + attempt + " attempts: "
            + (ar.succeeded() ? ar.result().statusCode() + " " + ar.result().bodyAsString() : ar.cause()));
      }
      Promise<Void> later = Promise.promise();
      stack.vertx.setTimer(RETRY_MS, id -> later.complete());
      return later.future().compose(v -> sendUntil2xx(pair, k, attempt + 1, since));
    });
  }

  /** The k of a label {@code p<pair>-<k>}. */
  private static int indexOf(String label) {
    return Integer.parseInt(label.substring(label.indexOf('-') + 1));
  }

  private static String label(Pair pair, int k) {
    return "p" + pair.index() + "-" + k;
  }

  /** Reads the whole log as a client resuming from the start; returns how many of the pairs' messages it holds. */
  private int assertLogHoldsExactly(String token, List<Pair> pairs) {
    try (WsClient ws = stack.connect(stack.push.get(0), token, "&since=0")) {
      ws.hello();
      return assertDeliveredExactly(ws, pairs);
    }
  }

  /** Asserts {@code ws} got each message of {@code pairs} once, with its 2xx id, each pair's in order. */
  private int assertDeliveredExactly(WsClient ws, List<Pair> pairs) {
    List<JsonObject> messages = ws.awaitMessages(pairs.size() * PER_PAIR);
    assertThat(messages).hasSize(pairs.size() * PER_PAIR);
    List<String> labels = messages.stream().map(m -> m.getJsonObject("body").getString("text")).toList();
    assertThat(labels).doesNotHaveDuplicates();
    for (JsonObject message : messages) {
      String label = message.getJsonObject("body").getString("text");
      assertThat(outcomes).containsKey(label);
      assertThat(message.getString("id")).as(label).isEqualTo(outcomes.get(label).id());
    }
    for (Pair pair : pairs) {
      List<String> ofPair = labels.stream().filter(label -> label.startsWith("p" + pair.index() + "-")).toList();
      assertThat(ofPair).as("pair " + pair.index() + " in order")
          .isSortedAccordingTo(Comparator.comparingInt(ClusterFailoverIT::indexOf))
          .hasSize(PER_PAIR);
    }
    return messages.size();
  }
}
