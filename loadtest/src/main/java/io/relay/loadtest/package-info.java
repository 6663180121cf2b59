/**
 * Command-line load tools that run Relay as an operator would (separate processes, loopback
 * only, bounded in time): the chaos run, which proves no acknowledged message is lost while
 * faults are injected, and the end-to-end benchmark.
 */
package io.relay.loadtest;
