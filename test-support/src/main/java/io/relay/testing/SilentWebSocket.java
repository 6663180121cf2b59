package io.relay.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;

/**
 * A client that completes the WebSocket handshake and then neither reads nor answers anything,
 * without closing TCP: a half-open or hopelessly slow peer, which a polite client library
 * (answering pings by itself) cannot imitate.
 */
public final class SilentWebSocket implements AutoCloseable {

  private final Socket socket = new Socket();

  public SilentWebSocket(int port, String uri) throws IOException {
    socket.setReceiveBufferSize(4096);
    socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
    byte[] key = new byte[16];
    new SecureRandom().nextBytes(key);
    String request = "GET " + uri + " HTTP/1.1\r\n"
        + "Host: 127.0.0.1:" + port + "\r\n"
        + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(key) + "\r\n"
        + "Sec-WebSocket-Version: 13\r\n\r\n";
    socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
    String head = readHead(socket.getInputStream());
    if (!head.startsWith("HTTP/1.1 101")) {
      throw new IOException("handshake refused: " + head);
    }
  }

  /** Reads up to the blank line that ends the response head, one byte at a time. */
  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      head.write(b);
    }
    return head.toString(StandardCharsets.US_ASCII);
  }

  /**
   * Starts reading at last: skips every frame the server queued until its close frame and returns
   * that frame's code, or -1 when the connection ends without one (a server that gave up waiting
   * may discard what it had not written yet, the close frame with it).
   */
  public int drainUntilClosed(Duration atMost) throws IOException {
    socket.setSoTimeout((int) atMost.toMillis());
    DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 1 << 16));
    try {
      while (true) {
        int opcode = in.readUnsignedByte() & 0x0F;
        long length = in.readUnsignedByte() & 0x7F; // server frames are never masked
        if (length == 126) {
          length = in.readUnsignedShort();
        } else if (length == 127) {
          length = in.readLong();
        }
        if (opcode == 0x8) {
          return length >= 2 ? in.readUnsignedShort() : -1;
        }
        in.skipNBytes(length);
      }
    } catch (EOFException e) {
      return -1;
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
