/**
 * What the push-service keeps in Redis besides the logs: connection bindings (presence), device
 * cursors and read receipts.
 */
package io.relay.push.store;
