package org.est4j.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Argon2id hashes (RFC 9106 parameters, PHC string form), the older PBKDF2 form, and the user cache. */
class PasswordHashTest {
  @Test
  void argon2idIsTheDefaultInPhcForm() {
    PasswordHash h = PasswordHash.create("wonderland".toCharArray());
    assertThat(h.isArgon2id()).isTrue();
    assertThat(h.encoded()).matches("\\$argon2id\\$v=19\\$m=65536,t=3,p=4\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
    assertThat(h.toString()).doesNotContain(h.encoded().substring(30));
    PasswordHash back = PasswordHash.parse(h.encoded());
    assertThat(back.matches("wonderland".toCharArray())).isTrue();
    assertThat(back.matches("Wonderland".toCharArray())).isFalse();
    assertThat(PasswordHash.create("wonderland".toCharArray()).encoded()).as("salted").isNotEqualTo(h.encoded());
  }

  /** Against the reference implementation (Debian's argon2 CLI, 0~20171227), so not BC against itself. */
  @Test
  void knownAnswerFromTheReferenceImplementation() {
    // echo -n password | argon2 somesaltsomesalt -id -t 3 -m 13 -p 2 -l 32 -e
    PasswordHash h = PasswordHash.parse(
        "$argon2id$v=19$m=8192,t=3,p=2$c29tZXNhbHRzb21lc2FsdA$WhoELTVCDxA0tKNHq8bZhJ7JiYCl47pcvKCv8yqwM4g");
    assertThat(h.matches("password".toCharArray())).isTrue();
    assertThat(h.matches("passwore".toCharArray())).isFalse();
  }

  @Test
  void pbkdf2HashesStillVerify() {
    PasswordHash old = PasswordHash.create("pw".toCharArray(), 10_000);
    assertThat(old.isArgon2id()).isFalse();
    assertThat(old.encoded()).startsWith("pbkdf2-sha256$10000$");
    assertThat(PasswordHash.parse(old.encoded()).matches("pw".toCharArray())).isTrue();
  }

  @Test
  void badHashesNameTheProblem() {
    assertThatThrownBy(() -> PasswordHash.parse("$argon2id$v=19$m=1024,t=1,p=1$c29tZXNhbHQ$aGFzaGhhc2hoYXNoaGFzaA"))
        .hasMessageContaining("m >= 8192");
    assertThatThrownBy(() -> PasswordHash.parse("$argon2id$v=16$m=65536,t=3,p=4$a$b")).hasMessageContaining("v=19");
    assertThatThrownBy(() -> PasswordHash.parse("md5$abc")).hasMessageContaining("$argon2id$");
  }

  @Test
  void userStoreRemembersASuccessAndRefusesWrongPasswords() {
    UserStore users = UserStore.of(Map.of("alice", PasswordHash.argon2id("wonderland".toCharArray(), 8192, 1, 1)));
    assertThat(users.authenticate("alice", "wonderland")).isTrue();
    long start = System.nanoTime();
    for (int i = 0; i < 100; i++) {
      assertThat(users.authenticate("alice", "wonderland")).isTrue();
    }
    long perCheckMicros = (System.nanoTime() - start) / 100 / 1000;
    assertThat(perCheckMicros).as("cached checks cost an HMAC, not an Argon2 run").isLessThan(2_000);
    assertThat(users.authenticate("alice", "wonderlan")).isFalse();
    assertThat(users.authenticate("bob", "wonderland")).isFalse();
  }

  @Test
  void concurrentFirstChecksOfOneUserCostOneArgon2Run() throws Exception {
    UserStore users = UserStore.of(Map.of("alice", PasswordHash.create("wonderland".toCharArray())));
    long start = System.nanoTime();
    assertThat(users.authenticate("alice", "wonderland")).isTrue();
    long one = System.nanoTime() - start;
    UserStore fresh = UserStore.of(Map.of("alice", PasswordHash.create("wonderland".toCharArray())));
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(16);
    try {
      start = System.nanoTime();
      java.util.List<java.util.concurrent.Future<Boolean>> all = new java.util.ArrayList<>();
      for (int i = 0; i < 16; i++) {
        all.add(pool.submit(() -> fresh.authenticate("alice", "wonderland")));
      }
      for (var f : all) {
        assertThat(f.get()).isTrue();
      }
      long sixteen = System.nanoTime() - start;
      assertThat(sixteen).as("16 concurrent first checks (one Argon2 run: %d ms)", one / 1_000_000)
          .isLessThan(one * 4);
    } finally {
      pool.shutdownNow();
    }
  }
}
