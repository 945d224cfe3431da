package dev.execflow.source.clickhouse.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A server child process and its home directory (config, data, log): started, stopped and started
 * again on the same home (an outage), killed (a crash), or closed (stopped and its home deleted).
 * A JVM that stops early never leaves one behind (a shutdown hook kills it).
 */
final class ServerProcess {
  private final List<String> command;
  private final Path home;
  private final Path log;
  private final Map<String, String> environment;
  private volatile Process process;

  private ServerProcess(List<String> command, Path home, Path log, Map<String, String> environment) {
    this.command = List.copyOf(command);
    this.home = home;
    this.log = log;
    this.environment = Map.copyOf(environment);
  }

  /** Starts {@code command} in {@code home}, its output to {@code log}. */
  static ServerProcess start(List<String> command, Path home, Path log, Map<String, String> environment) {
    ServerProcess p = new ServerProcess(command, home, log, environment);
    p.launch(ProcessBuilder.Redirect.to(log.toFile()));
    return p;
  }

  private void launch(ProcessBuilder.Redirect output) {
    ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true)
        .redirectOutput(output);
    builder.environment().putAll(environment);
    try {
      Process started = builder.start();
      Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly, "stop-" + home.getFileName()));
      process = started;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + command.get(0), e);
    }
  }

  Path home() {
    return home;
  }

  boolean isAlive() {
    return process.isAlive();
  }

  int exitValue() {
    return process.exitValue();
  }

  /** The last 30 lines of the process's log. */
  String logTail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** SIGTERM, then SIGKILL after 15 s; home and ports are kept. */
  void stop() {
    Process p = process;
    p.destroy();
    try {
      if (!p.waitFor(15, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
    }
  }

  /** Starts a stopped process again with the same command and home (its log appended to). */
  void restart() {
    if (process.isAlive()) {
      return;
    }
    launch(ProcessBuilder.Redirect.appendTo(log.toFile()));
  }

  /** SIGKILL at once, as a crash would. */
  void kill() {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops the process and deletes its home. */
  void close() {
    stop();
    deleteTree(home);
  }

  static void deleteTree(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a leftover temp directory is not worth failing a build for
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
