package io.relay.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.relay.model.ErrorCode;
import io.relay.service.ApiError;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RoomStoreAdmissionTest {

  /** One batch sent: its room, its posts, and the promise that settles it. */
  private record Sent(String room, List<RoomStoreAdmission.Pending<String, String>> posts, Promise<Void> done) {

    List<String> requests() {
      return posts.stream().map(RoomStoreAdmission.Pending::request).toList();
    }

    /** Answers every post with its own text and settles the batch. */
    void answer() {
      posts.forEach(post -> post.result().tryComplete("stored " + post.request()));
      done.complete();
    }
  }

  private final AtomicLong now = new AtomicLong(1_000);
  private final List<Sent> sent = new ArrayList<>();
  private final RoomStoreAdmission<String, String> admission = new RoomStoreAdmission<>(100, 3, 200, 500, now::get,
      (room, posts) -> {
        Promise<Void> done = Promise.promise();
        sent.add(new Sent(room, List.copyOf(posts), done));
        return done.future();
      }, Runnable::run);

  @Test
  void aRoomNotSeenYetRunsAloneThenThePostsThatWaitedGoTogether() {
    Future<String> first = admission.admit("big", "a");
    Future<String> second = admission.admit("big", "b");
    Future<String> third = admission.admit("big", "c");
    assertThat(sent).hasSize(1);
    assertThat(admission.waiting()).isEqualTo(2);

    admission.learned("big", 60);
    sent.get(0).answer();
    assertThat(first.result()).isEqualTo("stored a");
    assertThat(sent).as("one batch for the two that waited").hasSize(2);
    assertThat(sent.get(1).requests()).containsExactly("b", "c");
    sent.get(1).answer();
    assertThat(second.result()).isEqualTo("stored b");
    assertThat(third.result()).isEqualTo("stored c");
  }

  @Test
  void aBatchTakesItsRoomsPostsInOrderUpToTheMaximum() {
    admission.learned("big", 60);
    admission.admit("big", "a");
    List.of("b", "other", "c", "d", "e").forEach(post -> admission.admit(post.equals("other") ? "small" : "big", post));
    sent.get(0).answer();
    assertThat(sent.get(1).room()).isEqualTo("big");
    assertThat(sent.get(1).requests()).containsExactly("b", "c", "d");
    assertThat(admission.waiting()).isEqualTo(2);
  }

  @Test
  void aBatchToABiggerRoomHoldsFewerPosts() {
    admission.learned("big", 100);
    admission.admit("big", "a");
    List.of("b", "c", "d").forEach(post -> admission.admit("big", post));
    sent.get(0).answer();
    assertThat(sent.get(1).requests()).as("200 logs: two posts of 100 members").containsExactly("b", "c");

    admission.learned("huge", 1_000);
    admission.admit("huge", "h1");
    admission.admit("huge", "h2");
    sent.get(1).answer();
    sent.get(2).answer();
    assertThat(sent.get(3).requests()).as("never less than one").containsExactly("h1");
  }

  @Test
  void batchesRunTogetherWhileTheirMembersFitTheBudget() {
    admission.learned("small", 30);
    admission.learned("big", 60);
    admission.admit("small", "s1");
    admission.admit("tiny", "t1"); // not seen yet: the whole budget
    assertThat(sent).hasSize(1);
    sent.get(0).answer();
    assertThat(sent).hasSize(2);
    admission.learned("tiny", 30);
    sent.get(1).answer();

    admission.admit("small", "s2");
    admission.admit("tiny", "t2");
    admission.admit("big", "b1");
    assertThat(sent).as("30 + 30 fit, 60 more does not").hasSize(4);
    sent.get(2).answer();
    assertThat(sent).as("30 + 60 fit").hasSize(5);
  }

  @Test
  void aFailedBatchFailsThePostsItLeftUnanswered() {
    Future<String> post = admission.admit("r", "a");
    Future<String> next = admission.admit("r", "b");
    sent.get(0).done().fail(new IllegalStateException("redis"));
    assertThat(post.failed()).isTrue();
    assertThat(post.cause()).hasMessage("redis");
    assertThat(sent).as("a failed batch frees its share too").hasSize(2);
    assertThat(next.isComplete()).isFalse();
  }

  @Test
  void aBatchRedisRefusedUnrunIsSentAgainFirstUnlessItsPostsWaitedTooLong() {
    admission.learned("big", 60);
    Future<String> a = admission.admit("big", "a");
    Future<String> b = admission.admit("big", "b");
    admission.admit("big", "c");
    admission.admit("big", "d");
    Sent refused = sent.get(0);
    admission.again("big", refused.posts()); // as the sender does on {'late'}
    refused.done().complete();
    assertThat(a.isComplete()).as("not failed: queued again").isFalse();
    assertThat(sent.get(1).requests()).as("first again, then the rest").containsExactly("a", "b", "c");

    admission.again("big", sent.get(1).posts());
    now.addAndGet(501);
    sent.get(1).done().complete();
    assertThat(a.failed()).as("waited too long by now").isTrue();
    assertThat(((ApiError) b.cause()).code()).isEqualTo(ErrorCode.UNAVAILABLE);
  }

  @Test
  void aPostThatWaitedTooLongIsRefusedUnsent() {
    admission.learned("huge", 1_000);
    admission.admit("huge", "a");
    Future<String> late = admission.admit("huge", "b");
    now.addAndGet(501);
    sent.get(0).answer();

    assertThat(sent).as("never sent").hasSize(1);
    assertThat(late.failed()).isTrue();
    assertThat(late.cause()).isInstanceOf(ApiError.class);
    assertThat(((ApiError) late.cause()).code()).isEqualTo(ErrorCode.UNAVAILABLE);
    assertThat(admission.waiting()).isZero();
  }
}
