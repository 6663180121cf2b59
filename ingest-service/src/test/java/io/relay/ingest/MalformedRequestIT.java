package io.relay.ingest;

import static io.relay.ingest.IngestHarness.newUser;
import static org.assertj.core.api.Assertions.assertThat;

import io.relay.testing.TestRedis;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Requests broken at the HTTP level are the client's error, never a 500 (each case was a 500
 * found by the fuzz run, {@code FuzzIT}): a bad percent escape in the path, a bad chunk size, a
 * form content type on a method without a body.
 */
class MalformedRequestIT {

  static TestRedis server;
  static IngestHarness relay;
  static String auth;

  @BeforeAll
  static void start() {
    server = TestRedis.start();
    relay = IngestHarness.start(server, Map.of());
    auth = "Authorization: Bearer " + relay.token(newUser("alice")) + "\r\n";
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
  void aBadPercentEscapeInThePathIsInvalidField() {
    String answer = exchange("GET /v1/rooms/%zz/messages HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n");
    assertThat(answer).startsWith("HTTP/1.1 400").contains("\"code\":\"invalid_field\"");
  }

  @Test
  void aBadChunkSizeIsInvalidField() {
    String answer = exchange("POST /v1/messages HTTP/1.1\r\nHost: x\r\n" + auth
        + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n");
    assertThat(answer).startsWith("HTTP/1.1 400").contains("\"code\":\"invalid_field\"");
  }

  @Test
  void aFormContentTypeOnAMethodWithoutBodyIsNotAServerError() {
    for (String method : new String[] {"OPTIONS", "GET", "HEAD"}) {
      String answer = exchange(method + " /v1/messages HTTP/1.1\r\nHost: x\r\n" + auth
          + "Content-Type: multipart/form-data; boundary=x\r\nContent-Length: 2\r\n\r\n{}");
      assertThat(answer).as(method).matches("(?s)HTTP/1\\.1 (200|405) .*");
    }
  }

  /**
   * Writes the request (asking the server to close after its answer) and returns what came back
   * until the server closed or went quiet.
   */
  private static String exchange(String request) {
    try (Socket socket = new Socket("127.0.0.1", relay.ingest.port())) {
      socket.setSoTimeout(3000);
      socket.getOutputStream().write(request.replaceFirst("\r\n", "\r\nConnection: close\r\n")
          .getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      byte[] buffer = new byte[4096];
      try {
        int n;
        while ((n = in.read(buffer)) != -1) {
          answer.write(buffer, 0, n);
        }
      } catch (SocketTimeoutException e) {
        // the server keeps the connection: what it answered is complete
      }
      return answer.toString(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
