package io.relay.e2e;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Random;

/**
 * HTTP and WebSocket over a plain socket, byte by byte as a test writes them: for requests and
 * frames no well-behaved client would send (bad request lines, lying lengths, truncated bodies,
 * bad UTF-8 in text frames, reserved opcodes).
 */
final class RawHttp {

  /** What came back: the status (0 when the server closed or said nothing in time) and the bytes read. */
  record Answer(int status, String text) {
  }

  private RawHttp() {
  }

  /** Writes {@code request}, reads until the server closes or goes quiet, and parses the status line. */
  static Answer exchange(int port, byte[] request, int readTimeoutMs) {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(readTimeoutMs);
      try {
        socket.getOutputStream().write(request);
        socket.getOutputStream().flush();
        socket.shutdownOutput();
      } catch (IOException e) {
        // The server may close before taking everything: what it answered is still readable.
      }
      String text = readQuietly(socket.getInputStream());
      return new Answer(statusOf(text), text);
    } catch (IOException e) {
      return new Answer(0, "");
    }
  }

  static int statusOf(String text) {
    if (text.startsWith("HTTP/1.") && text.length() >= 12) {
      try {
        return Integer.parseInt(text.substring(9, 12));
      } catch (NumberFormatException e) {
        return 0;
      }
    }
    return 0;
  }

  private static String readQuietly(InputStream in) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    try {
      int n;
      while (out.size() < 4 * 1024 * 1024 && (n = in.read(buffer)) != -1) {
        out.write(buffer, 0, n);
      }
    } catch (SocketTimeoutException e) {
      // quiet: take what arrived
    } catch (IOException e) {
      // reset: take what arrived
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  /** A client WebSocket written by hand: masked frames of any opcode and payload, valid or not. */
  static final class RawWebSocket implements AutoCloseable {

    private final Socket socket;
    private final OutputStream out;
    private final Random random;
    /** The handshake answer's status: 101 when upgraded. */
    final int status;

    RawWebSocket(int port, String uri, Random random) throws IOException {
      this.random = random;
      socket = new Socket("127.0.0.1", port);
      socket.setSoTimeout(3000);
      out = socket.getOutputStream();
      byte[] nonce = new byte[16];
      random.nextBytes(nonce);
      out.write(("GET " + uri + " HTTP/1.1\r\nHost: relay\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce) + "\r\nSec-WebSocket-Version: 13\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      status = statusOf(readHead(socket.getInputStream()));
    }

    /** One frame: FIN flag, opcode (any 4 bits), payload masked as a client must (or not). */
    void frame(boolean fin, int opcode, byte[] payload, boolean masked) throws IOException {
      ByteArrayOutputStream frame = new ByteArrayOutputStream();
      frame.write((fin ? 0x80 : 0) | (opcode & 0x0f));
      int mask = masked ? 0x80 : 0;
      if (payload.length < 126) {
        frame.write(mask | payload.length);
      } else if (payload.length < 65536) {
        frame.write(mask | 126);
        frame.write(payload.length >>> 8);
        frame.write(payload.length & 0xff);
      } else {
        frame.write(mask | 127);
        for (int shift = 56; shift >= 0; shift -= 8) {
          frame.write((int) ((long) payload.length >>> shift) & 0xff);
        }
      }
      byte[] key = new byte[4];
      random.nextBytes(key);
      if (masked) {
        frame.write(key);
      }
      for (int i = 0; i < payload.length; i++) {
        frame.write(masked ? payload[i] ^ key[i % 4] : payload[i]);
      }
      out.write(frame.toByteArray());
      out.flush();
    }

    void text(String text) throws IOException {
      frame(true, 1, text.getBytes(StandardCharsets.UTF_8), true);
    }

    /** Reads what the server sent so far (frames undecoded: enough to look for leaked data). */
    String drain(int waitMs) {
      try {
        socket.setSoTimeout(waitMs);
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int n;
        while (got.size() < 1024 * 1024 && (n = in.read(buffer)) != -1) {
          got.write(buffer, 0, n);
        }
        return got.toString(StandardCharsets.ISO_8859_1);
      } catch (IOException e) {
        return "";
      }
    }

    private static String readHead(InputStream in) throws IOException {
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      int b;
      while ((b = in.read()) != -1) {
        head.write(b);
        byte[] bytes = head.toByteArray();
        int n = bytes.length;
        if (n >= 4 && bytes[n - 4] == '\r' && bytes[n - 3] == '\n' && bytes[n - 2] == '\r' && bytes[n - 1] == '\n') {
          break;
        }
      }
      return head.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() {
      try {
        socket.close();
      } catch (IOException e) {
        // already gone
      }
    }
  }
}
