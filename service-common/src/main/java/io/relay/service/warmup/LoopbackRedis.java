package io.relay.service.warmup;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A stand-in for Redis on a loopback port, just enough for the warm-up: it speaks RESP3 to the
 * real Redis client (HELLO, TIME, PING), answers every script call as a stored message
 * ({@code ['ok', seq]}), and delivers PUBLISHed payloads to the connections that SUBSCRIBEd,
 * whatever the channel. It keeps nothing.
 */
final class LoopbackRedis {

  private static final byte[] HELLO = map(
      "server", "redis", "version", "7.0.0", "proto", ":3", "id", ":1", "mode", "standalone", "role", "master");
  private static final byte[] OK = "+OK\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] PONG = "+PONG\r\n".getBytes(StandardCharsets.US_ASCII);

  private final List<NetSocket> subscribers = new ArrayList<>();
  private NetServer server;
  private long seq;

  /** Listens on 127.0.0.1 at a free port; the future gives the port. */
  Future<Integer> start(Vertx vertx) {
    server = vertx.createNetServer(new NetServerOptions().setHost("127.0.0.1").setPort(0).setTcpNoDelay(true));
    server.connectHandler(socket -> {
      RespCommands parser = new RespCommands(command -> answer(socket, command));
      socket.handler(parser::feed);
      socket.closeHandler(v -> subscribers.remove(socket));
    });
    return server.listen().map(NetServer::actualPort);
  }

  private void answer(NetSocket socket, List<String> command) {
    switch (command.get(0).toUpperCase(Locale.ROOT)) {
      case "HELLO" -> socket.write(Buffer.buffer(HELLO));
      case "PING" -> socket.write(Buffer.buffer(PONG));
      case "TIME" -> {
        long micros = System.currentTimeMillis() * 1000;
        socket.write(Buffer.buffer(array(Long.toString(micros / 1_000_000), Long.toString(micros % 1_000_000))));
      }
      case "EVALSHA", "EVAL" -> socket.write(Buffer.buffer(array("ok", System.currentTimeMillis() + "-" + (seq++ & 0xff))));
      case "SUBSCRIBE" -> {
        subscribers.add(socket);
        for (String channel : command.subList(1, command.size())) {
          socket.write(Buffer.buffer(push("subscribe", channel, ":1")));
        }
      }
      case "PUBLISH" -> {
        Buffer message = Buffer.buffer(push("message", command.get(1), command.get(2)));
        subscribers.forEach(s -> s.write(message));
        socket.write(Buffer.buffer(":" + subscribers.size() + "\r\n"));
      }
      default -> socket.write(Buffer.buffer(OK));
    }
  }

  Future<Void> close() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  /** A RESP3 push ({@code >}) of bulk strings; a part starting with ':' is an integer. */
  private static byte[] push(String... parts) {
    return aggregate('>', parts);
  }

  private static byte[] array(String... parts) {
    return aggregate('*', parts);
  }

  private static byte[] map(String... keysAndValues) {
    StringBuilder out = new StringBuilder().append('%').append(keysAndValues.length / 2).append("\r\n");
    for (String part : keysAndValues) {
      element(out, part);
    }
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] aggregate(char type, String... parts) {
    StringBuilder out = new StringBuilder().append(type).append(parts.length).append("\r\n");
    for (String part : parts) {
      element(out, part);
    }
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void element(StringBuilder out, String part) {
    if (part.startsWith(":")) {
      out.append(part).append("\r\n");
    } else {
      out.append('$').append(part.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(part).append("\r\n");
    }
  }
}
