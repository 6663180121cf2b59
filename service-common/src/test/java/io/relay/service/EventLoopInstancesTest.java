package io.relay.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Instances on their own event loops, one port: every one listening, each taking its turn of the connections. */
class EventLoopInstancesTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  @Test
  void everyInstanceServesOneFreePortOnItsOwnEventLoop() {
    List<Loop> loops = EventLoopInstances.deploy(vertx, 3, 0, Loop::new).await();
    int port = loops.get(0).port;
    assertThat(loops).extracting(loop -> loop.port).containsOnly(port).doesNotContain(0);

    Set<String> answered = new HashSet<>();
    for (int i = 0; i < 6; i++) { // a new connection each time: the instances take them in turn
      HttpClientAgent client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false));
      answered.add(client.request(HttpMethod.GET, port, "127.0.0.1", "/")
          .compose(request -> request.send().compose(response -> response.body()))
          .map(Object::toString).await());
      client.close().await();
    }
    assertThat(answered).containsExactlyInAnyOrder("loop-0", "loop-1", "loop-2");
    assertThat(loops).extracting(loop -> loop.thread).doesNotHaveDuplicates();
  }

  @Test
  void twoProcessesOnPortZeroGetAPortEach() {
    int first = EventLoopInstances.deploy(vertx, 2, 0, Loop::new).await().get(0).port;
    int second = EventLoopInstances.deploy(vertx, 2, 0, Loop::new).await().get(0).port;
    assertThat(second).isNotEqualTo(first);
  }

  /** Answers with its loop's name; remembers the thread its requests ran on. */
  private static final class Loop extends VerticleBase implements EventLoopInstances.Instance {
    private final int index;
    private HttpServer server;
    private volatile int port;
    private volatile String thread;

    Loop(int index) {
      this.index = index;
    }

    @Override
    public Future<?> start() {
      server = vertx.createHttpServer().requestHandler(request -> {
        thread = Thread.currentThread().getName();
        request.response().end("loop-" + index);
      });
      return Future.succeededFuture();
    }

    @Override
    public Future<Integer> listen(int requested) {
      return EventLoopInstances.listenOn(context, server, requested).onSuccess(bound -> port = bound);
    }
  }
}
