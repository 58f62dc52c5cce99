package org.est4j.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PassphrasesTest {

  @TempDir Path dir;

  @Test
  void readsTheFirstLineWithoutItsLineEnding() throws Exception {
    Path file = Files.writeString(dir.resolve("pass"), "s3cret pass\r\nsecond line\n");
    assertThat(Passphrases.passphraseFromFile(file)).containsExactly("s3cret pass".toCharArray());
    Files.writeString(file, "no-newline");
    assertThat(Passphrases.passphraseFromFile(file)).containsExactly("no-newline".toCharArray());
  }

  @Test
  void failsOnAMissingOrEmptyFileOrVariable() throws Exception {
    assertThatThrownBy(() -> Passphrases.passphraseFromFile(dir.resolve("absent")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("absent");
    Path empty = Files.writeString(dir.resolve("empty"), "\n");
    assertThatThrownBy(() -> Passphrases.passphraseFromFile(empty))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is empty");
    assertThatThrownBy(() -> Passphrases.passphraseFromEnv("EST4J_SURELY_UNSET_VARIABLE"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("EST4J_SURELY_UNSET_VARIABLE");
  }
}
