package dev.execflow.examples.cli;

import dev.execflow.follow.FollowEvent;
import dev.execflow.follow.FollowJson;
import dev.execflow.follow.FollowOptions;
import dev.execflow.follow.SessionFollower;
import dev.execflow.spi.LogSource;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code execflow follow --session ID}: follows a running session and prints its events, one JSON
 * object per line (the README documents them). The first line is a {@code snapshot}; the command
 * exits 0 after {@code final}. Whenever it stops (after {@code final}, at {@code --timeout}, on
 * SIGINT or SIGTERM), its last line carries the whole current {@code executionData}: {@code final}
 * when the session ended, otherwise a closing {@code snapshot}. The command and its options are
 * stable: scripts rely on them.
 */
@Command(name = "follow", mixinStandardHelpOptions = true,
    description = "Follow a running session: print its events (snapshot, phase_start, cost, ..., final) "
        + "as JSON lines until it ends.")
final class FollowCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin SourceOptions source;
  @Mixin StrategyOptions strategy;

  @Option(names = "--session", required = true, paramLabel = "ID", description = "The session id")
  String session;

  @Option(names = "--interval", paramLabel = "MS", defaultValue = "500",
      description = "Poll interval while rows arrive, in milliseconds (up to 4 times it while idle; default ${DEFAULT-VALUE})")
  long intervalMillis;

  @Option(names = "--grace", paramLabel = "SECONDS", defaultValue = "5",
      description = "Keep following this long after the session's terminal row, for late costs (default ${DEFAULT-VALUE})")
  double graceSeconds;

  @Option(names = "--timeout", paramLabel = "SECONDS",
      description = "Stop after this long even if the session has not ended (the last line is then a snapshot)")
  Double timeoutSeconds;

  @Override
  public Integer call() throws InterruptedException {
    if (intervalMillis < 1 || intervalMillis > 3_600_000) {
      throw new ParameterException(spec.commandLine(), "--interval must be 1 to 3600000 ms, was " + intervalMillis);
    }
    if (!(graceSeconds >= 0) || graceSeconds > 86_400) {
      throw new ParameterException(spec.commandLine(), "--grace must be 0 to 86400 seconds, was " + graceSeconds);
    }
    if (timeoutSeconds != null && !(timeoutSeconds >= 0)) {
      throw new ParameterException(spec.commandLine(), "--timeout must be 0 or more seconds, was " + timeoutSeconds);
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    FollowOptions options = FollowOptions.defaults().toBuilder()
        .interval(Duration.ofMillis(intervalMillis))
        .grace(Duration.ofNanos((long) (graceSeconds * 1e9)))
        .build();
    long deadline = timeoutSeconds == null ? Long.MAX_VALUE
        : System.nanoTime() + (long) Math.min(timeoutSeconds * 1e9, Long.MAX_VALUE / 4);
    try (LogSource logs = strategy.applyTo(source).open(); SessionFollower follower = SessionFollower.open(logs, session, options)) {
      Stop stop = new Stop();
      Thread hook = new Thread(stop::requested, "execflow-follow-stop");
      Runtime.getRuntime().addShutdownHook(hook);
      try {
        boolean failing = false;
        while (true) {
          for (FollowEvent event : follower.poll()) {
            out.println(FollowJson.write(event));
          }
          out.flush();
          if (follower.lastFailure() != null && !failing) {
            err.println("execflow follow: " + ExecflowCli.oneLine("the source is failing, retrying: "
                + follower.lastFailure().getMessage()));
            err.flush();
          }
          failing = follower.lastFailure() != null;
          if (follower.isFinished()) {
            return ExecflowCli.EXIT_OK;
          }
          long wait = Math.min(follower.nextPollIn().toNanos(), deadline - System.nanoTime());
          if (wait <= 0 || stop.await(wait)) {
            break;
          }
        }
        // stopped before the end: the last line still carries the whole state
        out.println(FollowJson.write(follower.current()));
        out.flush();
        return ExecflowCli.EXIT_OK;
      } finally {
        stop.finished();
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
          // the JVM is shutting down: the hook is running and waits for the closing line
        }
      }
    }
  }

  /** A stop asked by a signal: the loop prints its closing line, then the hook lets the JVM go. */
  private static final class Stop {
    private final CountDownLatch asked = new CountDownLatch(1);
    private final CountDownLatch done = new CountDownLatch(1);

    void requested() {
      asked.countDown();
      try {
        done.await(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    /** Waits up to {@code nanos}; true when a stop was asked. */
    boolean await(long nanos) throws InterruptedException {
      return asked.await(nanos, TimeUnit.NANOSECONDS);
    }

    void finished() {
      done.countDown();
    }
  }
}
