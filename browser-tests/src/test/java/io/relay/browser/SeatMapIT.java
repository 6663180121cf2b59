package io.relay.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The demo's seat map in two headless Chromium browsers: a seat taken in one tab turns red in the
 * other through a channel ({@code show:<id>}); a tab opened later draws the seats taken before;
 * a push-service crash and restart leaves every tab with the same map, each change applied once
 * (the client resubscribes after the last offset it had); and it works without WebSocket.
 * Each test uses its own show, so their channels never meet.
 */
class SeatMapIT extends DemoBrowsers {

  /** alice and bob signed in, each looking at the seat map of a fresh show. */
  record Show(String url, String alice, String bob) {
  }

  static Show openShow() {
    Show show = new Show(relay.pageUrl() + "?show=" + unique("t"), unique("alice"), unique("bob"));
    alicePage.join(show.url(), show.alice()).awaitSeatMapLive();
    bobPage.join(show.url(), show.bob()).awaitSeatMapLive();
    return show;
  }

  @Test
  void aSeatTakenInOneTabTurnsRedInTheOther() {
    Show show = openShow();
    assertThat(bobPage.seatState("C4")).isEqualTo("free");

    alicePage.clickSeat("C4");
    bobPage.awaitSeatTakenBy("C4", show.alice());
    alicePage.awaitSeatTakenBy("C4", show.alice());

    bobPage.clickSeat("C5");
    alicePage.awaitSeatTakenBy("C5", show.bob());
    alicePage.screenshot(SCREENSHOTS.resolve("seat-map.png"));

    alicePage.clickSeat("C4"); // ours: frees it
    bobPage.awaitSeatFree("C4");
    assertThat(bobPage.seatLog()).containsExactly(show.alice() + " took C4", show.bob() + " took C5",
        show.alice() + " freed C4");
    await().atMost(ChatBrowser.WAIT).until(() -> alicePage.seatLog().size() == 3);
    assertThat(alicePage.seatLog()).isEqualTo(bobPage.seatLog());
  }

  @Test
  void aTabOpenedLaterDrawsTheSeatsTakenBefore() {
    Show show = openShow();
    alicePage.clickSeat("A1").clickSeat("A2");
    alicePage.awaitSeatTakenBy("A2", show.alice());
    alicePage.awaitSeatTakenBy("A1", show.alice());

    String carol = unique("carol");
    bobPage.join(show.url(), carol).awaitSeatMapLive(); // a new page: replays the channel's history
    bobPage.awaitSeatTakenBy("A1", show.alice());
    bobPage.awaitSeatTakenBy("A2", show.alice());
    assertThat(bobPage.seatLog()).containsExactlyInAnyOrder(show.alice() + " took A1", show.alice() + " took A2");
  }

  @Test
  void pushServiceKilledAndRestartedKeepsEveryTabsSeatMapInStep() throws InterruptedException {
    Show show = openShow();
    alicePage.clickSeat("A1");
    bobPage.awaitSeatTakenBy("A1", show.alice());

    relay.killPush();
    try {
      alicePage.awaitState("reconnecting");
      bobPage.awaitState("reconnecting");
      alicePage.clickSeat("A2"); // published to ingest, which is up: stored in the channel's history
      bobPage.clickSeat("B1");
      await("both clicks sent").atMost(ChatBrowser.WAIT).until(() -> "pending".equals(alicePage.seatState("A2"))
          && "pending".equals(bobPage.seatState("B1")));
    } finally {
      relay.restartPush();
    }
    alicePage.awaitState("open");
    bobPage.awaitState("open");
    for (ChatBrowser page : List.of(alicePage, bobPage)) {
      page.awaitSeatTakenBy("A2", show.alice());
      page.awaitSeatTakenBy("B1", show.bob());
    }
    alicePage.clickSeat("A3");
    bobPage.awaitSeatTakenBy("A3", show.alice());
    await().atMost(ChatBrowser.WAIT).until(() -> alicePage.seatLog().size() == 4);

    assertThat(bobPage.seatLog()).hasSize(4).startsWith(show.alice() + " took A1").endsWith(show.alice() + " took A3")
        .contains(show.alice() + " took A2", show.bob() + " took B1");
    assertThat(alicePage.seatLog()).as("every tab applies the same changes in the same order, each once")
        .isEqualTo(bobPage.seatLog());
  }

  /** Channels over SSE or long-poll ({@code ?channels=}). */
  @Test
  void seatMapWorksWithoutWebSocket() {
    String url = "?show=" + unique("t");
    String alice = unique("alice");
    String bob = unique("bob");
    try (NoWebSocketProxy network = new NoWebSocketProxy(relay.pushPort)) {
      bobPage.join(network.pageUrl() + url, bob).awaitSeatMapLive();
      assertThat(bobPage.transport()).isIn("sse", "poll");
      alicePage.join(relay.pageUrl() + url, alice).awaitSeatMapLive();
      alicePage.clickSeat("E8");
      bobPage.awaitSeatTakenBy("E8", alice);
      bobPage.clickSeat("E7");
      alicePage.awaitSeatTakenBy("E7", bob);
    }
  }
}
