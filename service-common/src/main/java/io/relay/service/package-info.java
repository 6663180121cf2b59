/**
 * Runtime pieces both services share: typed config, authentication, the Redis gateway, §7 error
 * rendering, health probes, metrics and CORS.
 */
package io.relay.service;
