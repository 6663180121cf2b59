package io.relay.testing;

/** A Redis given by {@code REDIS_URL}: shared, so it can be used but never killed or flushed. */
final class ExternalRedis implements TestRedis {

  private final String url;

  ExternalRedis(String url) {
    this.url = url;
  }

  @Override
  public String url() {
    return url;
  }

  @Override
  public void kill() {
    throw new UnsupportedOperationException("a REDIS_URL server is shared: use TestRedis.startKillable()");
  }

  @Override
  public void restart() {
    throw new UnsupportedOperationException("a REDIS_URL server is shared: use TestRedis.startKillable()");
  }

  @Override
  public void close() {
    // Not ours to stop.
  }
}
