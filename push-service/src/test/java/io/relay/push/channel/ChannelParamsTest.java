package io.relay.push.channel;

import static org.assertj.core.api.Assertions.assertThat;

import io.relay.model.ChannelPatterns;
import io.relay.model.ErrorCode;
import io.relay.model.Seq;
import io.relay.service.ApiError;
import io.relay.service.Identity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChannelParamsTest {

  private static final Identity WATCHER = new Identity("bob", Long.MAX_VALUE,
      new ChannelPatterns(List.of("show:*", "game:12-3", "ticker")), ChannelPatterns.NONE);

  @Test
  void namesWithAndWithoutOffsetsInOrder() {
    Map<String, Seq> parsed = ChannelParams.parse("show:42:1764500000456-0,ticker,show:7", WATCHER, 10);
    assertThat(parsed.keySet()).containsExactly("show:42", "ticker", "show:7");
    assertThat(parsed.get("show:42")).isEqualTo(new Seq(1764500000456L, 0));
    assertThat(parsed.get("ticker")).isNull();
    assertThat(parsed.get("show:7")).isNull(); // "7" alone is part of the name, not an offset
  }

  @Test
  void aNameEndingLikeAnOffsetIsGivenWithOne() {
    assertThat(ChannelParams.parse("game:12-3:0-0", WATCHER, 10)).containsEntry("game:12-3", Seq.ZERO);
  }

  @Test
  void noParameterMeansNoChannels() {
    assertThat(ChannelParams.parse(null, WATCHER, 10)).isEmpty();
    assertThat(ChannelParams.parse("", WATCHER, 10)).isEmpty();
  }

  @Test
  void refusals() {
    assertThat(codeOf("show:1,,show:2", 10)).isEqualTo(ErrorCode.INVALID_FIELD);
    assertThat(codeOf("show 1", 10)).isEqualTo(ErrorCode.INVALID_FIELD);
    assertThat(codeOf("show:1,show:2,show:3", 2)).isEqualTo(ErrorCode.INVALID_FIELD);
    assertThat(codeOf("show:1,staff:1", 10)).isEqualTo(ErrorCode.FORBIDDEN);
  }

  private static ErrorCode codeOf(String param, int max) {
    Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> ChannelParams.parse(param, WATCHER, max));
    assertThat(thrown).isInstanceOf(ApiError.class);
    return ((ApiError) thrown).code();
  }
}
