/** The ingest-service: authenticates senders, validates and durably stores messages, then publishes them. */
package io.relay.ingest;
