package io.relay.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PromQlTest {

  @Test
  void findsTheMetricsOfAQueryAndNothingElse() {
    String expr = "histogram_quantile(0.99, sum by (le, job) (rate(relay_redis_latency_seconds_bucket{job=\"a\"}[5m])))"
        + " > 1 and on (job) max(relay_redis_up) == 0 or vector(1) * 2e3";
    assertThat(PromQl.metricNames(expr)).containsExactly("relay_redis_latency_seconds_bucket", "relay_redis_up");
  }

  @Test
  void keepsAMetricNamedLikeAKeywordPrefix() {
    assertThat(PromQl.metricNames("sum(rate(order_total[$__rate_interval])) / bytes_in"))
        .containsExactly("order_total", "bytes_in");
  }

  @Test
  void namesWhatIsRated() {
    assertThat(PromQl.ratedMetrics("sum(rate(a_total[1m])) + increase( b_count[5m]) + c"))
        .containsExactly("a_total", "b_count");
  }
}
