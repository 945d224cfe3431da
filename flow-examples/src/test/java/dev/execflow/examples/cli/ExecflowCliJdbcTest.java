package dev.execflow.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.execflow.examples.cli.ExecflowCliTest.Run;
import dev.execflow.testing.SqlTables;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI's {@code --parquet} and {@code --jdbc} flags over real files (a Parquet file written by
 * DuckDB, a DuckDB database, an SQLite database, all holding the bundled samples): the same
 * answers as from the bundled samples, one-line failures for bad input.
 */
class ExecflowCliJdbcTest {
  @TempDir static Path dir;
  private static Path parquet;
  private static String duckdbUrl;
  private static String sqliteUrl;

  @BeforeAll
  static void writeFixtures() throws Exception {
    var rows = SqlTables.sampleRows();
    parquet = dir.resolve("logs").resolve("log_0001.parquet");
    java.nio.file.Files.createDirectories(parquet.getParent());
    duckdbUrl = "jdbc:duckdb:" + dir.resolve("logs.duckdb");
    try (Connection c = DriverManager.getConnection(duckdbUrl); Statement s = c.createStatement()) {
      SqlTables.create(c, "unified_logs", SqlTables.Types.DUCKDB);
      SqlTables.insert(c, "unified_logs", SqlTables.Types.DUCKDB, rows);
      s.execute("COPY unified_logs TO '" + parquet.toString().replace("'", "''") + "' (FORMAT parquet)");
    }
    sqliteUrl = "jdbc:sqlite:" + dir.resolve("logs.db");
    try (Connection c = DriverManager.getConnection(sqliteUrl)) {
      SqlTables.create(c, "logs", SqlTables.Types.SQLITE);
      SqlTables.insert(c, "logs", SqlTables.Types.SQLITE, rows);
    }
  }

  private static String bundled(String... args) {
    Run r = ExecflowCliTest.run(args);
    assertThat(r.exit()).as(r.err()).isZero();
    return r.out();
  }

  private static List<String> args(List<String> source, String... command) {
    List<String> all = new ArrayList<>(List.of(command));
    all.addAll(source);
    return all;
  }

  private static void answersAsTheBundledSamples(List<String> source) {
    String[] assemble = {"assemble", "--session", "sample-soundings", "--pretty"};
    Run r = ExecflowCliTest.run(args(source, assemble).toArray(String[]::new));
    assertThat(r.err()).isEmpty();
    assertThat(r.exit()).isZero();
    assertThat(r.out()).isEqualTo(bundled(assemble));

    String[] sessions = {"sessions", "--json"};
    Run listed = ExecflowCliTest.run(args(source, sessions).toArray(String[]::new));
    assertThat(listed.exit()).as(listed.err()).isZero();
    assertThat(listed.out()).isEqualTo(bundled(sessions));
  }

  @Test
  void parquetFileAnswersAsTheBundledSamples() {
    answersAsTheBundledSamples(List.of("--parquet", parquet.toString()));
  }

  @Test
  void parquetDirectoryAnswersAsTheBundledSamples() {
    answersAsTheBundledSamples(List.of("--parquet", parquet.getParent().toString(), "--schema", "windlass"));
  }

  @Test
  void duckdbDatabaseAnswersAsTheBundledSamples() {
    answersAsTheBundledSamples(List.of("--jdbc", duckdbUrl));
  }

  @Test
  void sqliteTableAnswersAsTheBundledSamples() {
    answersAsTheBundledSamples(List.of("--jdbc", sqliteUrl, "--table", "logs"));
  }

  @Test
  void servesAParquetDirectory() {
    List<Integer> statuses = new ArrayList<>();
    Run r = ExecflowCliTest.run(server -> {
      try {
        statuses.add(HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            server.uri().resolve("api/session/sample-soundings/execution-flow")).build(),
            HttpResponse.BodyHandlers.ofString()).statusCode());
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }, "serve", "--parquet", parquet.getParent().toString(), "--port", "0");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(statuses).containsExactly(200);
  }

  @Test
  void aMissingParquetPathIsOneLine() {
    ExecflowCliTest.run("sessions", "--parquet", dir.resolve("nowhere").toString())
        .failedWithOneLine(1, "no such file or directory: ");
  }

  @Test
  void aDirectoryWithoutParquetFilesIsOneLine() throws Exception {
    Path empty = java.nio.file.Files.createDirectories(dir.resolve("empty"));
    ExecflowCliTest.run("sessions", "--parquet", empty.toString()).failedWithOneLine(1, "no *.parquet files in");
  }

  @Test
  void somethingThatIsNotAJdbcUrlIsOneLine() {
    ExecflowCliTest.run("sessions", "--jdbc", "localhost:5432").failedWithOneLine(1, "--jdbc needs a JDBC URL");
  }

  @Test
  void aUrlNoBundledDriverTakesIsOneLine() {
    ExecflowCliTest.run("sessions", "--jdbc", "jdbc:nosuchdb://host/db").failedWithOneLine(1, "No suitable driver");
  }

  @Test
  void aMissingTableIsOneLineNamingIt() {
    ExecflowCliTest.run("sessions", "--jdbc", sqliteUrl, "--table", "no_such_logs").failedWithOneLine(1, "no_such_logs");
  }

  @Test
  void anUnknownSessionIsOneLine() {
    ExecflowCliTest.run("assemble", "--parquet", parquet.toString(), "--session", "nope")
        .failedWithOneLine(1, "unknown session 'nope'");
  }

  @Test
  void jdbcCredentialsWithoutJdbcAreOneLine() {
    ExecflowCliTest.run("sessions", "--jdbc-user", "u").failedWithOneLine(1, "--jdbc-user and --jdbc-password-env need --jdbc URL");
  }

  @Test
  void twoSourcesAreOneLine() {
    ExecflowCliTest.run("sessions", "--parquet", parquet.toString(), "--jdbc", sqliteUrl)
        .failedWithOneLine(1, "give one of --jsonl, --clickhouse, --jdbc and --parquet");
  }

  @Test
  void anUnsetPasswordVariableIsOneLine() {
    ExecflowCliTest.run("sessions", "--jdbc", sqliteUrl, "--jdbc-password-env", "EXECFLOW_NO_SUCH_VARIABLE")
        .failedWithOneLine(1, "environment variable EXECFLOW_NO_SUCH_VARIABLE (--jdbc-password-env) is not set");
  }

  @Test
  void anUnknownSchemaIsOneLine() {
    ExecflowCliTest.run("sessions", "--parquet", parquet.toString(), "--schema", "v3")
        .failedWithOneLine(1, "--schema must be windlass, rvbbit or auto");
  }
}
