package io.relay.service.warmup;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RespCommandsTest {

  private final List<List<String>> commands = new ArrayList<>();
  private final RespCommands parser = new RespCommands(commands::add);

  @Test
  void splitsSeveralCommandsInOneRead() {
    parser.feed(Buffer.buffer("*1\r\n$4\r\nPING\r\n*3\r\n$7\r\nPUBLISH\r\n$2\r\nch\r\n$6\r\nhé\r\nx\r\n"));

    assertThat(commands).containsExactly(List.of("PING"), List.of("PUBLISH", "ch", "hé\r\nx"));
  }

  @Test
  void waitsForTheRestOfACommandCutAnywhere() {
    String command = "*2\r\n$4\r\nECHO\r\n$11\r\nhello world\r\n";
    for (int i = 0; i < command.length(); i++) {
      parser.feed(Buffer.buffer(command.substring(i, i + 1)));
    }

    assertThat(commands).containsExactly(List.of("ECHO", "hello world"));
  }
}
