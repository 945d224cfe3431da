package dev.execflow.source.clickhouse.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Starts {@code chdb-http-front.js} in a node child process (see {@link ClickHouseServer#startChdb()}). */
final class ChdbFront {
  private ChdbFront() {}

  /** A front that listens on {@code port}. */
  record Started(int port, ServerProcess process) {}

  static Started start() {
    Chdb installation = Chdb.find();
    if (installation.missing() != null) {
      throw new IllegalStateException(installation.missing());
    }
    try {
      Path home = Files.createTempDirectory("execflow-chdb-");
      Path script = home.resolve("chdb-http-front.js");
      try (InputStream in = ClickHouseServer.class.getResourceAsStream("chdb-http-front.js")) {
        if (in == null) {
          throw new IllegalStateException("chdb-http-front.js is missing from flow-clickhouse-testing's jar");
        }
        Files.copy(in, script);
      }
      Map<String, String> env = Map.of("NODE_PATH", installation.nodeModules().toString(), "TZ", "UTC",
          "CHDB_FRONT_USERS", "{\"default\":\"\",\"" + ClickHouseServer.LOCAL_USER + "\":\"" + ClickHouseServer.LOCAL_PASSWORD + "\"}");
      ServerProcess process = ServerProcess.start(List.of(installation.node().toString(), script.toString(),
          home.toString()), home, home.resolve("front.log"), env);
      try {
        return new Started(awaitPortFile(home.resolve("port"), process, Duration.ofSeconds(60)), process);
      } catch (RuntimeException e) {
        String tail = process.logTail();
        process.close();
        throw new IllegalStateException("the chdb HTTP front did not come up (" + e.getMessage() + "); its log:\n" + tail, e);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the chdb HTTP front", e);
    }
  }

  /** The port the front writes (atomically, by rename) once it listens. */
  private static int awaitPortFile(Path file, ServerProcess process, Duration limit) throws IOException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < deadline) {
      if (Files.exists(file)) {
        return Integer.parseInt(Files.readString(file).trim());
      }
      if (!process.isAlive()) {
        throw new IllegalStateException("node exited with status " + process.exitValue());
      }
      ServerProcess.sleep(50);
    }
    throw new IllegalStateException("no port file within " + limit.toSeconds() + " s");
  }

}
