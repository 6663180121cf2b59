package io.relay.browser;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * One headless Chromium (Debian's {@code chromium} driven by its {@code chromedriver}) showing the
 * demo page (chat and seat map): a page object for the tests, plus network emulation through
 * Chrome DevTools commands.
 * Each instance has its own profile, so two of them are two independent users.
 */
final class ChatBrowser implements AutoCloseable {

  static final Duration WAIT = Duration.ofSeconds(20);

  private final ChromeDriver driver;

  ChatBrowser() {
    String chromium = System.getProperty("relay.chromium", "/usr/bin/chromium");
    String chromedriver = System.getProperty("relay.chromedriver", "/usr/bin/chromedriver");
    if (!new File(chromium).canExecute() || !new File(chromedriver).canExecute()) {
      throw new IllegalStateException("needs Debian's chromium and chromium-driver (" + chromium + ", " + chromedriver
          + "): apt-get install chromium chromium-driver");
    }
    System.setProperty("webdriver.chrome.driver", chromedriver);
    ChromeOptions options = new ChromeOptions()
        .setBinary(chromium)
        .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-dev-shm-usage", "--disable-extensions", "--window-size=1100,720", "--lang=en-US");
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File(chromedriver))
        .usingAnyFreePort()
        .build();
    driver = new ChromeDriver(service, options);
    driver.executeCdpCommand("Network.enable", Map.of());
  }

  /** Opens the demo page and joins as {@code user}; returns once the client is connected. */
  ChatBrowser join(String pageUrl, String user) {
    driver.get(pageUrl);
    driver.findElement(By.id("user")).sendKeys(user);
    driver.findElement(By.id("join")).click();
    awaitState("open");
    return this;
  }

  /** Adds {@code uid} as a contact (if needed) and opens the direct chat with them. */
  ChatBrowser chatWith(String uid) {
    List<WebElement> existing = driver.findElements(By.cssSelector("#contacts li[data-uid='" + uid + "']"));
    if (existing.isEmpty()) {
      driver.findElement(By.id("new-contact")).sendKeys(uid);
      driver.findElement(By.cssSelector("#add-contact button")).click();
    } else {
      existing.get(0).click();
    }
    await().atMost(WAIT).until(() -> driver.findElement(By.id("peer")).getText().equals("Chat with " + uid));
    return this;
  }

  /** Types {@code text} into the open chat and sends it. */
  ChatBrowser send(String text) {
    WebElement input = driver.findElement(By.id("text"));
    input.sendKeys(text);
    driver.findElement(By.id("send")).click();
    return this;
  }

  /** The texts of the open chat, top to bottom. */
  List<String> texts() {
    return driver.findElements(By.cssSelector("#messages .msg .text")).stream().map(WebElement::getText).toList();
  }

  /** The texts the peer wrote in the open chat (not ours), top to bottom. */
  List<String> peerTexts() {
    return driver.findElements(By.cssSelector("#messages .msg:not(.mine) .text")).stream().map(WebElement::getText).toList();
  }

  /** Waits until the open chat shows at least {@code count} of the peer's messages; returns them. */
  List<String> awaitPeerTexts(int count) {
    await().atMost(WAIT).until(() -> peerTexts().size() >= count);
    return peerTexts();
  }

  /** Opens a conversation of the list: {@code u:<user>} or {@code r:<room>}. */
  ChatBrowser open(String conversation) {
    contact(conversation).click();
    return this;
  }

  /** The unread badge of a conversation in the list ({@code ""} when there is none). */
  String badge(String conversation) {
    return contact(conversation).findElement(By.className("unread")).getAttribute("textContent");
  }

  /** Waits until the conversation is listed with the badge {@code text} ({@code ""}: none). */
  void awaitBadge(String conversation, String text) {
    await(conversation + " badge " + text).atMost(WAIT)
        .until(() -> !driver.findElements(contactSelector(conversation)).isEmpty() && text.equals(badge(conversation)));
  }

  /** The last-message line under a conversation in the list. */
  String preview(String conversation) {
    return contact(conversation).findElement(By.className("preview")).getAttribute("textContent");
  }

  private WebElement contact(String conversation) {
    return driver.findElement(contactSelector(conversation));
  }

  private static By contactSelector(String conversation) {
    return By.cssSelector("#contacts li[data-key='" + conversation + "']");
  }

  /** Edits our last message in the open chat: its edit button, the new text, Save. */
  ChatBrowser editLast(String text) {
    lastOwn().findElement(By.className("edit")).click();
    await().atMost(WAIT).until(() -> driver.findElement(By.id("composer")).getAttribute("data-editing") != null);
    WebElement input = driver.findElement(By.id("text"));
    input.clear();
    input.sendKeys(text);
    driver.findElement(By.id("send")).click();
    return this;
  }

  /** Recalls our last message in the open chat. */
  ChatBrowser recallLast() {
    lastOwn().findElement(By.className("recall")).click();
    return this;
  }

  private WebElement lastOwn() {
    List<WebElement> own = driver.findElements(By.cssSelector("#messages .msg.mine[data-id]"));
    return own.get(own.size() - 1);
  }

  /** How the peer's messages in the open chat are marked: {@code edited}, {@code recalled} or {@code ""}, top to bottom. */
  List<String> peerMarks() {
    return driver.findElements(By.cssSelector("#messages .msg:not(.mine)")).stream()
        .map(el -> "true".equals(el.getAttribute("data-recalled")) ? "recalled"
            : "true".equals(el.getAttribute("data-edited")) ? "edited" : "")
        .toList();
  }

  /** Types into the composer without sending. */
  ChatBrowser type(String text) {
    driver.findElement(By.id("text")).sendKeys(text);
    return this;
  }

  /** The typing line under the open chat ({@code ""} when nobody types). */
  String typingLine() {
    return driver.findElement(By.id("typing")).getText();
  }

  /** The read receipts shown on our own messages: status texts of messages marked read. */
  List<String> readMarks() {
    return driver.findElements(By.cssSelector("#messages .msg.mine[data-read='true'] .status")).stream()
        .map(WebElement::getText).toList();
  }

  String state() {
    return driver.findElement(By.id("banner")).getAttribute("data-state");
  }

  String transport() {
    return driver.findElement(By.id("banner")).getAttribute("data-transport");
  }

  String bannerText() {
    return driver.findElement(By.id("banner")).getText();
  }

  void awaitState(String state) {
    await("banner shows " + state).atMost(WAIT).until(this::bannerText, text -> text.startsWith(state));
  }

  /** Clicks a seat of the seat map ({@code "C4"}): takes it when free, frees it when ours. */
  ChatBrowser clickSeat(String seat) {
    seatButton(seat).click();
    return this;
  }

  /** The seat's state as drawn: {@code free}, {@code pending} (our click, not back yet) or {@code taken}. */
  String seatState(String seat) {
    return seatButton(seat).getAttribute("data-state");
  }

  /** Who holds the seat as drawn ({@code ""} when free). */
  String seatHolder(String seat) {
    return seatButton(seat).getAttribute("data-by");
  }

  /** Waits until the seat is drawn {@code taken} by {@code holder}. */
  void awaitSeatTakenBy(String seat, String holder) {
    await(seat + " taken by " + holder).atMost(WAIT)
        .until(() -> "taken".equals(seatState(seat)) && holder.equals(seatHolder(seat)));
  }

  /** Waits until the seat is drawn free. */
  void awaitSeatFree(String seat) {
    await(seat + " free").atMost(WAIT).until(() -> "free".equals(seatState(seat)));
  }

  /** Waits until the seat map receives its channel live (WebSocket: after {@code subscribed}). */
  void awaitSeatMapLive() {
    await("seat map live").atMost(WAIT)
        .until(() -> "true".equals(driver.findElement(By.id("show")).getAttribute("data-live")));
  }

  /** Every seat-map change this page applied, oldest first ({@code "alice-1a2b3c took C4"}). */
  @SuppressWarnings("unchecked")
  List<String> seatLog() {
    return (List<String>) driver.executeScript("return window.relayDemo.show.log.slice()");
  }

  private WebElement seatButton(String seat) {
    return driver.findElement(By.cssSelector("#seats .seat[data-seat='" + seat + "']"));
  }

  /** Network emulation: offline drops the page's connections and fails new ones until online again. */
  void offline(boolean offline) {
    driver.executeCdpCommand("Network.emulateNetworkConditions", Map.of(
        "offline", offline, "latency", 0, "downloadThroughput", -1, "uploadThroughput", -1));
  }

  /** Saves a PNG of the page to {@code file}. */
  void screenshot(Path file) {
    Path shot = driver.getScreenshotAs(OutputType.FILE).toPath();
    try {
      Files.createDirectories(file.getParent());
      Files.copy(shot, file, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    driver.quit();
  }
}
