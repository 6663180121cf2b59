/**
 * How clients reach a session: the WebSocket, Server-Sent Events and long-poll endpoints and
 * transports, the bounded send queue, client frames, resume parameters and the HTTP ack.
 */
package io.relay.push.transport;
