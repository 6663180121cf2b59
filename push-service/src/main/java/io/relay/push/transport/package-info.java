/**
 * How clients reach a session: the WebSocket, Server-Sent Events and long-poll endpoints and
 * transports, the bounded send queue, client frames, resume parameters and the HTTP ack.
 * WebSocket frames are built as wire bytes ({@link io.relay.push.transport.WireFrames}) and written
 * below Vert.x, flushed once per socket per event-loop task (docs/architecture.md, "Writing to
 * WebSockets").
 */
package io.relay.push.transport;
