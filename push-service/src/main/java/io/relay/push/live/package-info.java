/**
 * The pub/sub side: this node's Redis subscriber connection, which carries the live entries of
 * the users it holds connections for.
 */
package io.relay.push.live;
