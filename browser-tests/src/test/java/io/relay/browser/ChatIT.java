package io.relay.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The demo chat in two headless Chromium browsers (alice's and bob's) against both services run
 * as processes on a real Redis: chatting, receipts, going offline, a push-service crash, and a
 * network that blocks WebSocket.
 */
class ChatIT extends DemoBrowsers {

  static List<String> numbered(String prefix, int count) {
    return IntStream.rangeClosed(1, count).mapToObj(i -> prefix + " " + i).toList();
  }

  @Test
  void aliceAndBobChatBothWays() {
    signIn();
    alicePage.send("Hi Bob! Is the relay up?");
    assertThat(bobPage.awaitPeerTexts(1)).containsExactly("Hi Bob! Is the relay up?");
    bobPage.send("Hi Alice, it is: this came over " + bobPage.transport());
    assertThat(alicePage.awaitPeerTexts(1)).containsExactly("Hi Alice, it is: this came over ws");
    alicePage.send("Great, see you in the lobby");
    assertThat(bobPage.awaitPeerTexts(2)).last().isEqualTo("Great, see you in the lobby");

    assertThat(alicePage.texts()).containsExactly("Hi Bob! Is the relay up?", "Hi Alice, it is: this came over ws",
        "Great, see you in the lobby");
    assertThat(alicePage.bannerText()).isEqualTo("open · ws");
    alicePage.screenshot(SCREENSHOTS.resolve("chat.png"));
  }

  /** Needs read receipts (docs/protocol.md#websocket {@code read} frame → {@code receipt} in the sender's log). */
  @Test
  void readReceiptsReachTheSender() {
    signIn();
    alicePage.send("Did you read this?");
    bobPage.awaitPeerTexts(1);
    await("alice sees a read receipt").atMost(ChatBrowser.WAIT).until(() -> alicePage.readMarks().size() == 1);
    assertThat(alicePage.readMarks().get(0)).startsWith("✓✓ read by bob-");
  }

  @Test
  void messagesSentWhileBobIsOfflineAppearOnceInOrderWhenHeIsBack() {
    signIn();
    bobPage.offline(true);
    try {
      await().atMost(ChatBrowser.WAIT).until(() -> !"open".equals(bobPage.state()));
      List<String> sent = numbered("while you were away", 5);
      sent.forEach(alicePage::send);
      await().atMost(ChatBrowser.WAIT).until(() -> alicePage.texts().size() == 5
          && !alicePage.texts().toString().contains("sending"));
      assertThat(bobPage.peerTexts()).isEmpty();
    } finally {
      bobPage.offline(false);
    }
    bobPage.awaitState("open");
    assertThat(bobPage.awaitPeerTexts(5)).containsExactlyElementsOf(numbered("while you were away", 5));
    alicePage.send("welcome back");
    bobPage.awaitPeerTexts(6);
    assertThat(bobPage.peerTexts()).containsExactly("while you were away 1", "while you were away 2",
        "while you were away 3", "while you were away 4", "while you were away 5", "welcome back");
  }

  @Test
  void pushServiceKilledMidChatResumesWithNothingLostOrDoubled() throws InterruptedException {
    signIn();
    alicePage.send("before the crash");
    bobPage.awaitPeerTexts(1);

    relay.killPush();
    try {
      alicePage.awaitState("reconnecting");
      bobPage.awaitState("reconnecting");
      numbered("during the outage", 3).forEach(alicePage::send); // ingest is up: stored, not yet pushed
    } finally {
      relay.restartPush();
    }
    alicePage.awaitState("open");
    bobPage.awaitState("open");
    assertThat(bobPage.awaitPeerTexts(4)).containsExactly("before the crash",
        "during the outage 1", "during the outage 2", "during the outage 3");
    alicePage.send("after the restart");
    bobPage.send("got all of them");
    assertThat(alicePage.awaitPeerTexts(1)).containsExactly("got all of them");
    bobPage.awaitPeerTexts(5);
    assertThat(bobPage.peerTexts()).containsExactly("before the crash",
        "during the outage 1", "during the outage 2", "during the outage 3", "after the restart");
    assertThat(alicePage.texts()).filteredOn(text -> text.startsWith("during")).hasSize(3);
  }

  /** Needs the SSE or long-poll fallback (docs/fallbacks.md). */
  @Test
  void blockedWebSocketFallsBackAndStillDelivers() {
    String alice = unique("alice");
    String bob = unique("bob");
    try (NoWebSocketProxy network = new NoWebSocketProxy(relay.pushPort)) {
      bobPage.join(network.pageUrl(), bob).chatWith(alice);
      assertThat(bobPage.transport()).isIn("sse", "poll");
      assertThat(bobPage.bannerText()).isEqualTo("open · " + bobPage.transport());
      alicePage.join(relay.pageUrl(), alice).chatWith(bob);
      alicePage.send("can you hear me without WebSocket?");
      assertThat(bobPage.awaitPeerTexts(1)).containsExactly("can you hear me without WebSocket?");
      bobPage.send("yes, over " + bobPage.transport());
      assertThat(alicePage.awaitPeerTexts(1)).containsExactly("yes, over " + bobPage.transport());
    }
  }
}
