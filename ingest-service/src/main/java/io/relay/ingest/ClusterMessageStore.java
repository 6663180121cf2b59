package io.relay.ingest;

import io.relay.model.ConversationId;
import io.relay.model.StoredMessage;
import io.relay.service.RateLimit;
import io.relay.service.ScriptCall;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;

/**
 * A direct message (or an echo) on a Redis Cluster, where the recipient's and the sender's logs
 * may live on different shards: reserve the sender's idempotency key with the message (and take a
 * token), write each log in its own single-slot script at most once per message id, pipelined per
 * shard with the locator, then settle the key. Three round trips. A 503 in between leaves the
 * message in some logs; a retry with the same clientMsgId finds the reservation and completes the
 * same message (same id and ts) without a second copy in any log.
 */
final class ClusterMessageStore {

  private final SendReservations reservations;
  private final ClusterLogs logs;

  ClusterMessageStore(SendReservations reservations, ClusterLogs logs) {
    this.reservations = reservations;
    this.logs = logs;
  }

  Future<MessageStore.Stored> store(StoredMessage message, List<String> uids, String idempotencyKey,
      RateLimit limit) {
    return reservations.reserve(idempotencyKey, limit, message).compose(reserved -> {
      if (reserved.state() == SendReservations.State.DONE) {
        return Future.succeededFuture(new MessageStore.Stored(reserved.id(), true, 0));
      }
      List<ScriptCall> calls = new ArrayList<>();
      for (String uid : uids) {
        String conversation = message.from() == null ? ""
            : ConversationId.direct(uid, message.from(), message.to()).toString();
        calls.add(logs.append(uid, reserved.json(), reserved.id(), message.from(), conversation, true));
      }
      calls.add(logs.locator(reserved.id(), reserved.locator()));
      return logs.run(uids, calls)
          .compose(appended -> reservations.settleNow(idempotencyKey, reserved.id()))
          .map(v -> new MessageStore.Stored(reserved.id(), false, uids.size(), reserved.ts()));
    });
  }
}
