/**
 * One client connection's life whatever its transport: set-up (arm, bind, hello, replay), ordered
 * gap-free delivery, heartbeats and release; and the registry of the sessions this node holds.
 */
package io.relay.push.session;
