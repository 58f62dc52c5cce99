import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.est4j.server.AuditTrail;
import org.est4j.server.store.AuditEvent;
import org.est4j.server.store.CertificateRecord;
import org.est4j.server.store.CertificateStatus;
import org.est4j.store.jdbc.JdbcAuditStore;
import org.est4j.store.jdbc.JdbcCertificateStore;
import org.est4j.store.jdbc.JdbcStoreSettings;

/**
 * The store alone, without TLS or signing: THREADS request threads record certificate rows (as
 * {@code Enrollments.issue} does) for SECONDS after a warm-up, and the process CPU per row is
 * reported. Run with the server jar on the class path (see bench/README.md):
 *
 * <pre>
 *   java -cp est4j-cli/target/est4j.jar bench/StoreBench.java [URL] [threads] [seconds] [audit: none|same|async]
 * </pre>
 *
 * URL defaults to an H2 file in a temp directory (with the CLI's AUTO_SERVER=TRUE).
 */
public class StoreBench {
  public static void main(String[] args) throws Exception {
    Path dir = Files.createTempDirectory("est4j-storebench");
    String url = args.length > 0 && !args[0].equals("-") ? args[0]
        : "jdbc:h2:file:" + dir.resolve("est4j") + ";AUTO_SERVER=TRUE";
    int threads = args.length > 1 ? Integer.parseInt(args[1]) : 64;
    int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    String audit = args.length > 3 ? args[3] : "none";
    JdbcStoreSettings.Builder b = JdbcStoreSettings.builder(url);
    if (System.getenv("STOREBENCH_USER") != null) {
      b.user(System.getenv("STOREBENCH_USER")).password(System.getenv("STOREBENCH_PASSWORD").toCharArray());
    }
    SecureRandom random = new SecureRandom();
    byte[] der = new byte[520]; // an issued P-256 certificate's size
    random.nextBytes(der);
    String pem = "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END CERTIFICATE-----\n";
    try (JdbcCertificateStore store = JdbcCertificateStore.open(b.build());
        AuditTrail trail = new AuditTrail(audit.equals("async") ? Optional.of(new JdbcAuditStore(store.database()))
            : Optional.empty())) {
      String sql = System.getenv("STOREBENCH_SQL"); // e.g. schema experiments: "DROP INDEX x;CREATE INDEX ..."
      if (sql != null && !sql.isBlank()) {
        try (java.sql.Connection c = store.database().connection(); java.sql.Statement st = c.createStatement()) {
          for (String one : sql.split(";")) {
            st.execute(one);
          }
          c.commit();
        }
      }
      AtomicBoolean stop = new AtomicBoolean();
      AtomicLong rows = new AtomicLong();
      AtomicLong seq = new AtomicLong();
      Thread[] workers = new Thread[threads];
      for (int t = 0; t < threads; t++) {
        workers[t] = new Thread(() -> {
          SecureRandom r = new SecureRandom();
          while (!stop.get()) {
            byte[] serial = new byte[16];
            r.nextBytes(serial);
            serial[0] &= 0x7f;
            byte[] key = new byte[32];
            r.nextBytes(key);
            Instant now = Instant.now();
            String requestId = "bench-" + Long.toString(seq.incrementAndGet(), 36);
            String hex = new java.math.BigInteger(1, serial).toString(16);
            CertificateRecord row = new CertificateRecord(hex, "default", Optional.empty(), "CN=bench", List.of(),
                HexFormat.of().formatHex(key), now, now.plusSeconds(86400 * 365), CertificateStatus.ISSUED,
                "anonymous", requestId, pem, now, Optional.empty(), Optional.empty());
            AuditEvent event = new AuditEvent(now, requestId, "127.0.0.1", "anonymous", Optional.empty(),
                "simpleenroll", "success", 200, Optional.of(hex), Optional.empty());
            if (audit.equals("same")) { // the audit row in the certificate's transaction (the server's way)
              store.recordIssued(row, Optional.empty(), event);
            } else {
              store.recordIssued(row);
            }
            if (audit.equals("async")) { // the audit row batched by AuditTrail's thread (the old way)
              trail.record(event);
            }
            rows.incrementAndGet();
          }
        });
        workers[t].start();
      }
      Thread.sleep(Math.max(3, seconds / 2) * 1000L); // warm-up
      for (int run = 1; run <= 2; run++) {
        long r0 = rows.get();
        long c0 = cpuNanos();
        long t0 = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        long r1 = rows.get();
        long c1 = cpuNanos();
        long t1 = System.nanoTime();
        double rps = (r1 - r0) / ((t1 - t0) / 1e9);
        double cores = (c1 - c0) / (double) (t1 - t0);
        System.out.printf("run %d: %,.0f rows/s, %.2f cores, %.1f us CPU per row, load %s%n", run, rps, cores,
            (c1 - c0) / 1000.0 / (r1 - r0), Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
      }
      stop.set(true);
      for (Thread w : workers) {
        w.join();
      }
    }
  }

  private static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }
}
