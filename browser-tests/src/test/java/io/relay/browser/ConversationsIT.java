package io.relay.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The demo's conversation list, edits, recalls and typing in two headless Chromium browsers: an
 * unread badge on every device of the recipient that clears everywhere when one device reads; an
 * edit and a recall by the sender showing in the recipient's tab; "… is typing" in the other tab.
 */
class ConversationsIT extends DemoBrowsers {

  static final String RECALLED = "message recalled";

  /**
   * Both browsers are bob's devices (a phone and a laptop); alice writes over plain HTTP. The
   * reloaded laptop page resumes its log after alice's messages, so its badge comes from the list.
   */
  @Test
  void unreadBadgeShowsOnEveryDeviceAndClearsWhenOneReads() {
    String alice = unique("alice");
    String bob = unique("bob");
    String withAlice = "u:" + alice;
    ChatBrowser phone = bobPage.join(relay.pageUrl(), bob);
    HttpUser aliceOverHttp = new HttpUser(relay.ingestUrl(), alice);
    aliceOverHttp.send(bob, "are you coming tonight?");
    aliceOverHttp.send(bob, "the show starts at 8");
    phone.awaitBadge(withAlice, "2"); // counted live, from the log
    String withCarol = "u:" + unique("carol");
    new HttpUser(relay.ingestUrl(), withCarol.substring(2)).send(bob, "lunch tomorrow?");
    phone.awaitBadge(withCarol, "1");

    ChatBrowser laptop = alicePage.join(relay.pageUrl(), bob);
    laptop.awaitBadge(withAlice, "2"); // a new device: the log replays both
    laptop.join(relay.pageUrl(), bob); // reloaded: the log resumes after them, the server lists them
    laptop.awaitBadge(withAlice, "2");
    laptop.awaitBadge(withCarol, "1");
    assertThat(laptop.preview(withAlice)).isEqualTo("the show starts at 8");
    laptop.screenshot(SCREENSHOTS.resolve("conversations.png"));

    phone.open(withAlice).awaitPeerTexts(2);
    laptop.awaitBadge(withAlice, ""); // the phone's read marker reached the laptop
    phone.awaitBadge(withAlice, "");
    assertThat(laptop.badge(withCarol)).isEqualTo("1"); // only the conversation read
  }

  @Test
  void anEditAndARecallShowInTheOtherTab() {
    Pair pair = signIn();
    alicePage.send("see you at 5");
    bobPage.awaitPeerTexts(1);

    alicePage.editLast("see you at 6");
    await("bob sees the edit").atMost(ChatBrowser.WAIT).until(() -> bobPage.peerTexts().equals(List.of("see you at 6")));
    assertThat(bobPage.peerMarks()).containsExactly("edited");

    alicePage.send("sent to the wrong chat");
    bobPage.awaitPeerTexts(2);
    alicePage.recallLast();
    await("bob sees the recall").atMost(ChatBrowser.WAIT)
        .until(() -> bobPage.peerTexts().equals(List.of("see you at 6", RECALLED)));
    assertThat(bobPage.peerMarks()).containsExactly("edited", "recalled");
    await("the list shows the recall").atMost(ChatBrowser.WAIT).until(() -> bobPage.preview("u:" + pair.alice()).equals(RECALLED));
    assertThat(alicePage.texts()).containsExactly("see you at 6", RECALLED);

    // Meanwhile carol writes: her badge shows beside the open chat, which stays without one.
    String carol = unique("carol");
    new HttpUser(relay.ingestUrl(), carol).send(pair.bob(), "are you coming to the show?");
    bobPage.awaitBadge("u:" + carol, "1");
    assertThat(bobPage.badge("u:" + pair.alice())).isEmpty();
    alicePage.type("one more thing");
    await("bob sees alice typing").atMost(ChatBrowser.WAIT).until(() -> !bobPage.typingLine().isEmpty());
    bobPage.screenshot(SCREENSHOTS.resolve("conversations-chat.png"));
  }

  @Test
  void typingShowsInTheOtherTabAndGoesAway() {
    Pair pair = signIn();
    String typing = pair.alice() + " is typing…";

    alicePage.type("hel");
    await("bob sees alice typing").atMost(ChatBrowser.WAIT).until(() -> bobPage.typingLine().equals(typing));
    await("it goes away without another").atMost(ChatBrowser.WAIT).until(() -> bobPage.typingLine().isEmpty());

    alicePage.type("lo");
    await("typing again").atMost(ChatBrowser.WAIT).until(() -> bobPage.typingLine().equals(typing));
    alicePage.send(" bob");
    assertThat(bobPage.awaitPeerTexts(1)).containsExactly("hello bob");
    assertThat(bobPage.typingLine()).isEmpty(); // her message ends it at once
    assertThat(alicePage.typingLine()).isEmpty(); // never shown to the sender
  }
}
