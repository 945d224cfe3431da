package dev.execflow.source.clickhouse.testing;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where this machine has what {@link ClickHouseServer#startChdb()} needs: a {@code node} binary and
 * a {@code node_modules} directory holding the npm package {@code chdb} (which brings {@code
 * libchdb.so}, ClickHouse's current engine). Nothing is downloaded here: CI installs the package
 * with {@code npm install --no-save --prefix flow-clickhouse-testing/target/chdb chdb@3}.
 *
 * <pre>{@code
 * Chdb chdb = Chdb.find();
 * if (chdb.missing() != null) {
 *   System.err.println("no current engine: " + chdb.missing());
 * }
 * }</pre>
 *
 * <p>{@code FLOW_NODE} names the node binary (default: {@code node} or {@code nodejs} on the {@code
 * PATH}); {@code FLOW_CHDB_NODE_MODULES} names the {@code node_modules} directory (default: {@code
 * flow-clickhouse-testing/target/chdb/node_modules}, looked for from the working directory upwards,
 * so that every module's tests find the one installation).
 *
 * @param node the node binary, or null
 * @param nodeModules the directory holding {@code chdb/}, or null
 * @param missing why the engine cannot be started (what to install), or null when it can
 */
public record Chdb(Path node, Path nodeModules, String missing) {
  /** The default installation directory, relative to the project's root. */
  public static final String DEFAULT_PREFIX = "flow-clickhouse-testing/target/chdb";

  /** Looks for node and the chdb package as described above. */
  public static Chdb find() {
    Path node = findNode();
    Path modules = findModules();
    String missing = null;
    if (node == null) {
      missing = "no node binary (install the Debian packages nodejs and npm, or set FLOW_NODE)";
    } else if (modules == null) {
      missing = "no npm package chdb (run: npm install --no-save --prefix " + DEFAULT_PREFIX + " chdb@3"
          + ", or set FLOW_CHDB_NODE_MODULES to a node_modules directory that has it)";
    }
    return new Chdb(node, modules, missing);
  }

  private static Path findNode() {
    String configured = System.getenv("FLOW_NODE");
    if (configured != null && !configured.isBlank()) {
      Path p = Path.of(configured);
      return Files.isExecutable(p) ? p : null;
    }
    String path = System.getenv("PATH");
    if (path == null) {
      return null;
    }
    for (String name : new String[] {"node", "nodejs"}) {
      for (String dir : path.split(File.pathSeparator)) {
        Path p = Path.of(dir, name);
        if (Files.isExecutable(p)) {
          return p;
        }
      }
    }
    return null;
  }

  private static Path findModules() {
    String configured = System.getenv("FLOW_CHDB_NODE_MODULES");
    if (configured != null && !configured.isBlank()) {
      Path p = Path.of(configured).toAbsolutePath();
      return hasChdb(p) ? p : null;
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path p = dir.resolve(DEFAULT_PREFIX).resolve("node_modules");
      if (hasChdb(p)) {
        return p;
      }
    }
    return null;
  }

  /** The package and its engine library (an optional dependency npm may have skipped). */
  private static boolean hasChdb(Path modules) {
    return Files.isRegularFile(modules.resolve("chdb/package.json"))
        && Files.isDirectory(modules.resolve("@chdb"));
  }
}
