package io.relay.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.impl.types.BulkType;
import io.vertx.redis.client.impl.types.MultiType;
import io.vertx.redis.client.impl.types.NumberType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ShardMapTest {

  static final ShardMap THREE = ShardMap.of(List.of(new ShardMap.Range(0, 5460, "a:1"),
      new ShardMap.Range(5461, 10922, "b:1"), new ShardMap.Range(10923, 16383, "c:1")));

  @Test
  void parsesClusterSlotsWithTheAnsweringNodeForAnEmptyHost() {
    Response reply = multi(
        multi(number(0), number(5460), multi(bulk("10.0.0.1"), number(7000), bulk("id-a")),
            multi(bulk("10.0.0.4"), number(7003), bulk("id-d"))),
        multi(number(5461), number(16383), multi(bulk(""), number(7001), bulk("id-b"))));

    ShardMap map = ShardMap.parse(reply, "seed.local:7005");

    assertThat(map.primaries()).containsExactly("10.0.0.1:7000", "seed.local:7001");
    assertThat(map.ownerOf(0)).isEqualTo("10.0.0.1:7000");
    assertThat(map.ownerOf(5460)).isEqualTo("10.0.0.1:7000");
    assertThat(map.ownerOf(5461)).isEqualTo("seed.local:7001");
    assertThat(map.ownerOf(16383)).isEqualTo("seed.local:7001");
  }

  @Test
  void aNodeTheClusterNamesIsReachedLikeTheSeed() {
    assertThat(ShardMap.uri("redis://127.0.0.1:7000", "10.0.0.7:7001")).isEqualTo("redis://10.0.0.7:7001");
    assertThat(ShardMap.uri("rediss://user:secret@seed:7000", "10.0.0.7:7001"))
        .isEqualTo("rediss://user:secret@10.0.0.7:7001");
    assertThat(ShardMap.address("rediss://user:secret@seed:7000")).isEqualTo("seed:7000");
    assertThat(ShardMap.address("redis://seed")).isEqualTo("seed:6379");
  }

  @Test
  void callsOnSlotsOfOnePrimaryShareAGroupInOrder() {
    List<Integer> slots = List.of(1, 6000, 2, 12000, 5460, 5461, 16383);
    assertThat(THREE.groups(slots, slot -> slot)).containsExactly(
        Map.entry("a:1", List.of(1, 2, 5460)), Map.entry("b:1", List.of(6000, 5461)), Map.entry("c:1", List.of(12000, 16383)));
  }

  @Test
  void slotsNobodyServesAreGroupedUnderNull() {
    ShardMap partial = ShardMap.of(List.of(new ShardMap.Range(0, 100, "a:1")));
    assertThat(partial.ownerOf(101)).isNull();
    assertThat(partial.groups(List.of(5, 200), slot -> slot)).containsExactly(
        Map.entry("a:1", List.of(5)), new java.util.AbstractMap.SimpleEntry<>(null, List.of(200)));
    assertThat(partial.primaries()).containsExactly("a:1");
  }

  private static MultiType multi(Response... items) {
    MultiType multi = MultiType.create(items.length, false);
    for (Response item : items) {
      multi.add(item);
    }
    return multi;
  }

  private static Response bulk(String text) {
    return BulkType.create(Buffer.buffer(text), false);
  }

  private static Response number(long value) {
    return NumberType.create(value);
  }
}
