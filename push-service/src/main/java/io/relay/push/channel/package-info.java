/**
 * Channels on a push node: one Redis subscription per channel however many connections want it
 * ({@link io.relay.push.channel.ChannelFanout}), each published frame encoded once and shared by
 * every connection, and per connection the subscribe / replay-after-{@code since} / live handover
 * ({@link io.relay.push.channel.ConnectionChannels}). See docs/channels.md.
 */
package io.relay.push.channel;
