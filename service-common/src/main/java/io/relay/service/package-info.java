/**
 * Runtime pieces both services share: typed config, authentication, the Redis gateway, docs/protocol.md#errors error
 * rendering, health probes, metrics and CORS.
 */
package io.relay.service;
