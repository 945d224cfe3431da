package dev.execflow.source.clickhouse.testing;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.opentest4j.TestAbortedException;

/**
 * Gives tests a real ClickHouse: {@code FLOW_CLICKHOUSE_URL} if set, else Debian's {@code
 * clickhouse-server} started as a child process; for classes annotated {@link CurrentEngine},
 * ClickHouse's current engine (chdb behind the test HTTP front). One server of each kind serves every
 * test class of the JVM (started on first use, stopped when the test run ends), so a module's suite
 * pays the start-up once. Without a server binary (or node and chdb) the tests are skipped with a
 * loud message, or fail when {@code CI=true}: CI must never pass by skipping them.
 *
 * <pre>{@code
 * @ExtendWith(ClickHouseServerExtension.class)
 * class MyTest {
 *   @Test
 *   void reads(ClickHouseServer server) {
 *     server.execute("CREATE TABLE " + server.qualified("t") + " (x UInt8) ENGINE = Memory");
 *   }
 * }
 * }</pre>
 *
 * <p>Other modules use it through this module's test-jar (type {@code test-jar}, scope test).
 */
public final class ClickHouseServerExtension implements BeforeAllCallback, ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(ClickHouseServerExtension.class);

  /** Holds the shared server (or why there is none) in the root store, which closes it at the end. */
  private static final class Shared implements AutoCloseable {
    final ClickHouseServer server;
    final RuntimeException failure;
    final String skipReason;

    Shared(ClickHouseServer server, RuntimeException failure, String skipReason) {
      this.server = server;
      this.failure = failure;
      this.skipReason = skipReason;
    }

    @Override
    public void close() {
      if (server != null) {
        server.close();
      }
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    server(context);
  }

  /**
   * The shared server (the current engine when the test class or one enclosing it is annotated
   * {@link CurrentEngine}); aborts (skips) or fails the calling tests when there is none.
   */
  public static ClickHouseServer server(ExtensionContext context) {
    boolean current = wantsCurrentEngine(context);
    Shared shared = context.getRoot().getStore(NAMESPACE)
        .getOrComputeIfAbsent(current ? "current-engine" : "default-server",
            k -> current ? startCurrent() : start(), Shared.class);
    if (shared.failure != null) {
      throw new IllegalStateException("ClickHouse test server unavailable: " + shared.failure.getMessage(),
          shared.failure);
    }
    if (shared.skipReason != null) {
      throw new TestAbortedException(shared.skipReason);
    }
    return shared.server;
  }

  /** Whether this context or one of its parents runs a class annotated {@link CurrentEngine}. */
  static boolean wantsCurrentEngine(ExtensionContext context) {
    for (ExtensionContext c = context; c != null; c = c.getParent().orElse(null)) {
      if (c.getTestClass().map(type -> type.isAnnotationPresent(CurrentEngine.class)).orElse(false)) {
        return true;
      }
    }
    return false;
  }

  private static Shared startCurrent() {
    try {
      Chdb chdb = Chdb.find();
      if (chdb.missing() != null) {
        return absent("ClickHouse's current engine (chdb) tests", chdb.missing());
      }
      return new Shared(ClickHouseServer.startChdb(), null, null);
    } catch (RuntimeException e) {
      return new Shared(null, e, null);
    }
  }

  /** Skips loudly, or fails under CI=true: CI must never pass by skipping. */
  private static Shared absent(String what, String reason) {
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      return new Shared(null, new IllegalStateException(reason + " (CI=true: failing, not skipping)"), null);
    }
    loudly("\n"
        + "*****************************************************************************\n"
        + "*** SKIPPING " + what + ": " + reason + "\n"
        + "*****************************************************************************\n");
    return new Shared(null, null, "SKIPPED: " + reason);
  }

  private static Shared start() {
    try {
      ClickHouseServer remote = ClickHouseServer.fromEnvironment();
      if (remote != null) {
        return new Shared(remote, null, null);
      }
      if (ClickHouseServer.findBinary() == null) {
        return absent("ClickHouse tests", "no clickhouse-server binary and FLOW_CLICKHOUSE_URL is not set:"
            + " install the Debian package clickhouse-server or point FLOW_CLICKHOUSE_URL at a server");
      }
      return new Shared(ClickHouseServer.startLocal(), null, null);
    } catch (RuntimeException e) {
      return new Shared(null, e, null);
    }
  }

  /**
   * To the process's own stderr as well as System.err: Surefire sends System.err to a report file,
   * where nobody would see that a whole module's tests were skipped.
   */
  private static void loudly(String message) {
    System.err.println(message);
    try {
      java.io.FileOutputStream stderr = new java.io.FileOutputStream(java.io.FileDescriptor.err);
      stderr.write(message.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      stderr.flush();
    } catch (java.io.IOException ignored) {
      // System.err has it
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == ClickHouseServer.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return server(context);
  }
}
