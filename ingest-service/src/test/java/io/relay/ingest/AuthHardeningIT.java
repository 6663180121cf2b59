package io.relay.ingest;

import static io.relay.ingest.IngestHarness.assertError;
import static io.relay.ingest.IngestHarness.newUser;
import static io.relay.ingest.IngestHarness.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.relay.service.RelayAuth;
import io.relay.testing.TestRedis;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Authentication comes first and tolerates clock skew: a request without valid credentials is
 * answered 401 before its body is read; {@code nbf}/{@code iat} a little in the future (a signer
 * whose clock is ahead) are accepted, {@code exp} is not stretched.
 */
class AuthHardeningIT {

  /** Under the request limit, so only authentication can answer before the body is complete. */
  static final int DECLARED_BODY = 300_000;

  static TestRedis server;
  static IngestHarness relay;

  @BeforeAll
  static void start() {
    server = TestRedis.start();
    relay = IngestHarness.start(server, Map.of());
  }

  @AfterAll
  static void stop() {
    if (relay != null) {
      relay.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void aRequestWithoutValidCredentialsIsRefusedBeforeItsBodyArrives() throws IOException {
    for (String credentials : new String[] {"", "Authorization: Bearer not-a-token\r\n", "X-Api-Key: wrong\r\n",
        "Authorization: Bearer " + relay.forgeToken("another-secret-that-is-long-enough-to-sign",
            new JsonObject(), new JWTOptions().setSubject("alice").setExpiresInSeconds(60)) + "\r\n"}) {
      String answer = postWithUnfinishedBody(credentials);
      assertThat(answer).as("answer to %s", credentials).startsWith("HTTP/1.1 401");
      assertThat(answer).contains("\"code\":\"unauthorized\"");
    }
  }

  @Test
  void aUserWithAValidTokenStillGetsItsBodyRead() throws IOException {
    String alice = newUser("alice");
    byte[] body = text(newUser("bob"), "hi").encode().getBytes(StandardCharsets.UTF_8);
    try (Socket socket = new Socket("127.0.0.1", relay.ingest.port())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(("POST /v1/messages HTTP/1.1\r\nHost: relay\r\nContent-Type: application/json\r\n"
          + "Authorization: Bearer " + relay.token(alice) + "\r\nContent-Length: " + body.length + "\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      out.write(body);
      out.flush();
      assertThat(readHead(socket.getInputStream())).startsWith("HTTP/1.1 201");
    }
  }

  @Test
  void notBeforeAndIssuedAtAFewSecondsInTheFutureAreAccepted() {
    String alice = newUser("alice");
    long now = System.currentTimeMillis() / 1000;
    long ahead = now + RelayAuth.CLOCK_LEEWAY_SEC / 2;
    String token = relay.forgeToken(relay.secret,
        new JsonObject().put("sub", alice).put("exp", now + 3600).put("nbf", ahead).put("iat", ahead),
        new JWTOptions().setNoTimestamp(true));
    assertThat(relay.sendAs(token, text(alice, "hi")).statusCode()).isEqualTo(201);
  }

  @Test
  void notBeforeOrIssuedAtBeyondTheLeewayAreRefused() {
    String alice = newUser("alice");
    long now = System.currentTimeMillis() / 1000;
    long tooFar = now + 2L * RelayAuth.CLOCK_LEEWAY_SEC;
    for (String claim : new String[] {"nbf", "iat"}) {
      String token = relay.forgeToken(relay.secret,
          new JsonObject().put("sub", alice).put("exp", now + 3600).put(claim, tooFar),
          new JWTOptions().setNoTimestamp(true));
      assertError(relay.sendAs(token, text(alice, "x")), 401, "unauthorized");
    }
    assertThat(relay.xlen(alice)).isZero();
  }

  @Test
  void expiryGetsNoLeeway() {
    String alice = newUser("alice");
    long justExpired = System.currentTimeMillis() / 1000 - 1;
    String token = relay.forgeToken(relay.secret, new JsonObject().put("sub", alice).put("exp", justExpired),
        new JWTOptions());
    assertError(relay.sendAs(token, text(alice, "x")), 401, "unauthorized");
  }

  /** Declares a body of DECLARED_BODY bytes, sends 1 KiB of it, and returns what the server answers. */
  private static String postWithUnfinishedBody(String credentialHeaders) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", relay.ingest.port())) {
      socket.setSoTimeout(5_000);
      OutputStream out = socket.getOutputStream();
      out.write(("POST /v1/messages HTTP/1.1\r\nHost: relay\r\nContent-Type: application/json\r\n"
          + credentialHeaders + "Content-Length: " + DECLARED_BODY + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(("{\"to\":\"bob\",\"body\":\"" + "x".repeat(1000)).getBytes(StandardCharsets.US_ASCII));
      out.flush();
      return readAll(socket.getInputStream());
    }
  }

  /** Everything until the server closes the connection (a read timeout fails the test). */
  private static String readAll(InputStream in) throws IOException {
    ByteArrayOutputStream answer = new ByteArrayOutputStream();
    in.transferTo(answer);
    return answer.toString(StandardCharsets.UTF_8);
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != -1 && head.size() < 64) {
      head.write(b);
    }
    return head.toString(StandardCharsets.US_ASCII);
  }
}
