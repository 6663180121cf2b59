package io.relay.browser;

import io.relay.testing.TestRedis;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * What every test of the demo page starts from: a real Redis, both services as processes on it,
 * and two headless Chromium browsers (alice's and bob's), shared by the tests of one class.
 */
abstract class DemoBrowsers {

  static final Path SCREENSHOTS = Path.of(System.getProperty("relay.artifacts", "target"), "screenshots");

  static TestRedis redis;
  static RelayProcesses relay;
  static ChatBrowser alicePage;
  static ChatBrowser bobPage;

  @BeforeAll
  static void start() {
    redis = TestRedis.start();
    relay = new RelayProcesses(redis.url());
    alicePage = new ChatBrowser();
    bobPage = new ChatBrowser();
  }

  @AfterAll
  static void stop() {
    for (AutoCloseable closeable : new AutoCloseable[] {alicePage, bobPage, relay, redis}) {
      try {
        if (closeable != null) {
          closeable.close();
        }
      } catch (Exception e) {
        System.err.println("cleanup failed: " + e);
      }
    }
  }

  /** alice and bob signed in, each with the other's chat open. */
  record Pair(String alice, String bob) {
  }

  static Pair signIn() {
    Pair pair = new Pair(unique("alice"), unique("bob"));
    alicePage.join(relay.pageUrl(), pair.alice()).chatWith(pair.bob());
    bobPage.join(relay.pageUrl(), pair.bob()).chatWith(pair.alice());
    return pair;
  }

  /** A fresh name, so tests never see each other's messages even on a shared Redis. */
  static String unique(String name) {
    return name + "-" + UUID.randomUUID().toString().substring(0, 6);
  }
}
