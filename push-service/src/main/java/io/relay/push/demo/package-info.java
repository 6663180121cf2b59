/** The chat demo page, mounted in dev mode only (docs/demo.md). */
package io.relay.push.demo;
