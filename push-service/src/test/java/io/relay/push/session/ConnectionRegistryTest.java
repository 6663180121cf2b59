package io.relay.push.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.relay.model.CloseCode;
import io.relay.model.LogEntry;
import io.vertx.core.Future;
import org.junit.jupiter.api.Test;

class ConnectionRegistryTest {

  private record FakeSession(String uid, String connectionId) implements Session {
    @Override
    public void onLive(LogEntry entry) {
    }

    @Override
    public Future<Void> catchUp() {
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> close(CloseCode code) {
      return Future.succeededFuture();
    }
  }

  private final ConnectionRegistry registry = new ConnectionRegistry();

  @Test
  void tellsAUsersFirstAndLastSessionAndCountsEveryOne() {
    Session phone = new FakeSession("alice", "c1");
    Session laptop = new FakeSession("alice", "c2");
    Session bob = new FakeSession("bob", "c3");

    assertThat(registry.add(phone)).isTrue();
    assertThat(registry.add(laptop)).isFalse();
    assertThat(registry.add(bob)).isTrue();
    assertThat(registry.size()).isEqualTo(3);
    assertThat(registry.sessionsOf("alice")).containsExactly(phone, laptop);
    assertThat(registry.all()).containsExactlyInAnyOrder(phone, laptop, bob);

    assertThat(registry.remove(phone)).isFalse();
    assertThat(registry.remove(laptop)).isTrue();
    assertThat(registry.sessionsOf("alice")).isEmpty();
    assertThat(registry.size()).isEqualTo(1);
  }

  @Test
  void addingOrRemovingTwiceCountsOnce() {
    Session phone = new FakeSession("alice", "c1");

    registry.add(phone);
    registry.add(phone);
    assertThat(registry.size()).isEqualTo(1);
    assertThat(registry.remove(phone)).isTrue();
    assertThat(registry.remove(phone)).isFalse();
    assertThat(registry.size()).isZero();
  }

  @Test
  void theListHandedOutIsASnapshot() {
    Session phone = new FakeSession("alice", "c1");
    registry.add(phone);

    var sessions = registry.sessionsOf("alice");
    registry.remove(phone);

    assertThat(sessions).containsExactly(phone);
  }
}
