package io.relay.push.transport;

import io.netty.channel.ChannelHandlerContext;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.core.net.impl.VertxHandler;

/**
 * Where a WebSocket's frames are written in its Netty pipeline. Vert.x keeps the channel of a
 * connection internal; its WebSocket writes from the context of the connection's handler (the
 * last in the pipeline, after the WebSocket encoders), and so does {@link SocketWriter}.
 */
final class NettyChannels {

  private NettyChannels() {
  }

  /** The context of the Vert.x handler of {@code request}'s connection, once upgraded to a WebSocket. */
  static ChannelHandlerContext webSocketHandler(HttpServerRequest request) {
    if (!(request.connection() instanceof ConnectionBase connection)) {
      throw new IllegalStateException("not a Vert.x connection: " + request.connection());
    }
    ChannelHandlerContext handler = connection.channel().pipeline().context(VertxHandler.class);
    if (handler == null) {
      throw new IllegalStateException("no Vert.x handler in the pipeline of " + connection.channel());
    }
    return handler;
  }
}
