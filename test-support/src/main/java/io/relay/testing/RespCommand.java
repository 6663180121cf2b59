package io.relay.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One Redis command over a fresh blocking socket, for fixtures that must ask a server something
 * before any client library is set up (cluster state, roles). Replies: simple and bulk strings as
 * {@link String}, integers as {@link Long}, arrays as {@link List}, nil as null; an error reply
 * throws {@link IllegalStateException}.
 */
public final class RespCommand {

  private RespCommand() {
  }

  public static Object send(int port, String... args) {
    return sendAll(port, List.<String[]>of(args)).get(0);
  }

  /**
   * Several commands on one connection, in order, and their replies (e.g. a write then
   * {@code WAIT}, which counts the replicas that have this connection's writes).
   */
  public static List<Object> sendAll(int port, List<String[]> commands) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      for (String[] command : commands) {
        out.write(encode(command));
      }
      out.flush();
      InputStream in = new BufferedInputStream(socket.getInputStream());
      List<Object> replies = new ArrayList<>();
      for (int i = 0; i < commands.size(); i++) {
        replies.add(read(in));
      }
      return replies;
    } catch (IOException e) {
      throw new UncheckedIOException("redis on port " + port + ": " + e.getMessage(), e);
    }
  }

  /** The same as text (a bulk or simple string reply). */
  public static String text(int port, String... args) {
    Object reply = send(port, args);
    return reply == null ? null : reply.toString();
  }

  private static byte[] encode(String[] args) {
    StringBuilder command = new StringBuilder("*").append(args.length).append("\r\n");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (String arg : args) {
      byte[] value = arg.getBytes(StandardCharsets.UTF_8);
      command.append('$').append(value.length).append("\r\n");
      bytes.writeBytes(command.toString().getBytes(StandardCharsets.UTF_8));
      bytes.writeBytes(value);
      command.setLength(0);
      command.append("\r\n");
    }
    bytes.writeBytes(command.toString().getBytes(StandardCharsets.UTF_8));
    return args.length == 0 ? new byte[0] : bytes.toByteArray();
  }

  private static Object read(InputStream in) throws IOException {
    int type = in.read();
    String line = line(in);
    return switch (type) {
      case '+' -> line;
      case '-' -> throw new IllegalStateException(line);
      case ':' -> Long.parseLong(line);
      case '$' -> {
        int length = Integer.parseInt(line);
        if (length < 0) {
          yield null;
        }
        byte[] value = in.readNBytes(length);
        in.readNBytes(2);
        yield new String(value, StandardCharsets.UTF_8);
      }
      case '*' -> {
        int count = Integer.parseInt(line);
        if (count < 0) {
          yield null;
        }
        List<Object> items = new ArrayList<>();
        for (int i = 0; i < count; i++) {
          items.add(read(in));
        }
        yield items;
      }
      default -> throw new IOException("unexpected reply type " + type);
    };
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != '\r') {
      if (b < 0) {
        throw new IOException("connection closed");
      }
      bytes.write(b);
    }
    in.read();
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
