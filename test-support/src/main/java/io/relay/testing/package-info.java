/** Test fixtures that give tests a real Redis server and real service processes. */
package io.relay.testing;
