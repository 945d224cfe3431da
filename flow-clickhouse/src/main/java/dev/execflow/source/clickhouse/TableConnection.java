package dev.execflow.source.clickhouse;

import com.clickhouse.client.api.data_formats.ClickHouseBinaryFormatReader;
import com.clickhouse.client.api.metadata.TableSchema;
import com.clickhouse.client.api.query.QueryResponse;
import com.clickhouse.client.api.query.QuerySettings;
import com.clickhouse.data.ClickHouseColumn;
import com.clickhouse.data.ClickHouseFormat;
import dev.execflow.source.clickhouse.internal.ColumnType;
import dev.execflow.source.clickhouse.internal.Errors;
import dev.execflow.source.clickhouse.internal.RowBinaryInput;
import dev.execflow.source.clickhouse.internal.SelectPlan;
import dev.execflow.source.clickhouse.internal.ServerVersion;
import dev.execflow.source.clickhouse.internal.Sql;
import dev.execflow.source.clickhouse.internal.SummarySql;
import dev.execflow.spi.ColumnMapping;
import dev.execflow.spi.LogSourceException;
import dev.execflow.spi.LogSourceException.Reason;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What connecting found out: the server's version, the table's columns and the plan of SQL for
 * them, whether responses may be compressed, whether ids may be bound as parameters.
 *
 * <p>{@link #establish} asks the server's version, forces the user's limits to throw, reads the
 * table's columns ({@code DESCRIBE TABLE}: a missing table or mapped column is reported by name,
 * and each column's real type decides its cast) and runs a probe query with a known answer to
 * verify the response encoding (see {@link Compression}). The same look at {@code system.tables}
 * that reads the table's engine finds the session summary of {@code execflow install-listing}
 * ({@link #listing}: null when it is not installed, or not completely).
 */
record TableConnection(ServerVersion version, SelectPlan plan, Map<String, ColumnType> layout,
    boolean compress, boolean bind, String engine, SummarySql.Names listing) {

  private static final int PROBE_ROWS = 1000;

  static TableConnection establish(QueryRunner q, Settings s) {
    ServerVersion version = ServerVersion.parse(queryVersion(q));
    q.forceThrow(limitsAsErrors(q));
    q.spill(spillToDisk(q));
    Map<String, ColumnType> layout = describe(q, s.database(), s.table());
    ColumnMapping configured = s.mapping();
    ColumnMapping mapping = configured == null ? ColumnMapping.detect(layout.keySet())
        : isPreset(configured) ? configured.presentIn(layout.keySet()) : configured;
    SelectPlan plan = SelectPlan.of(s.database(), s.table(), mapping, layout, s.contentLimit(), s.contentForEveryRow(),
        s.vocabulary());
    boolean compress = chooseCompression(q, s.compression(), version);
    SummarySql.Names names = SummarySql.Names.of(s.database(), s.table());
    Map<String, String> engines = engines(q, s.database(), s.table(), names);
    boolean summarised = engines.keySet().containsAll(names.all());
    return new TableConnection(version, plan, layout, compress, version.supportsQueryParameters(),
        engines.getOrDefault(s.table(), ""), summarised ? names : null);
  }

  /** A named preset may meet an older table without its optional columns; a custom mapping is exact. */
  private static boolean isPreset(ColumnMapping mapping) {
    return mapping == ColumnMapping.WINDLASS || mapping == ColumnMapping.RVBBIT;
  }

  private static String queryVersion(QueryRunner q) {
    String what = "connecting";
    QueryResponse response = q.start("SELECT version() FORMAT RowBinary", Map.of(), false, what);
    try {
      ClickHouseBinaryFormatReader reader = q.client().newBinaryFormatReader(response,
          new TableSchema(List.of(ClickHouseColumn.of("v", "String"))));
      if (!reader.hasNext()) {
        throw new LogSourceException(Reason.UNAVAILABLE, "ClickHouse at " + q.endpoint()
            + " answered SELECT version() with nothing; is this a ClickHouse HTTP endpoint?");
      }
      reader.next();
      return reader.getString(1);
    } catch (LogSourceException e) {
      throw e;
    } catch (RuntimeException e) {
      throw Errors.translate(e, q.endpoint(), q.user(), what);
    } finally {
      q.finish(response);
    }
  }

  /**
   * The user's profile may say what happens at a limit ({@code max_result_rows}, {@code
   * max_rows_to_read}, {@code max_execution_time}, ...): {@code break} stops the query and returns
   * what it has, as if that were everything, which is common on shared servers and would make a
   * session look shorter, cheaper and still running. So every {@code *_overflow_mode} setting the
   * server has that is not {@code throw} is sent as {@code throw} with every query, and a limit is
   * an error that names it. A user who may not change settings ({@code readonly=1}) with such a
   * profile cannot be read from honestly: connecting fails and says so.
   *
   * @return the settings to force, read from {@code system.settings} (names differ by version)
   */
  private static List<String> limitsAsErrors(QueryRunner q) {
    List<String> force = new ArrayList<>();
    List<String> shown = new ArrayList<>();
    String readonly = "0";
    for (String[] fields : tsv(q, "SELECT name, value FROM system.settings WHERE name LIKE '%overflow_mode'"
        + " OR name = 'readonly' FORMAT TabSeparated", "reading the user's settings")) {
      if (fields.length < 2) {
        continue;
      }
      if (fields[0].equals("readonly")) {
        readonly = fields[1];
      } else if (!fields[1].equals("throw")) {
        force.add(fields[0]);
        shown.add(fields[0] + "=" + fields[1]);
      }
    }
    if (!force.isEmpty() && readonly.equals("1")) {
      throw new LogSourceException(Reason.UNSUPPORTED, "ClickHouse at " + q.endpoint() + ": the profile of user '"
          + q.user() + "' sets " + String.join(", ", shown) + " and forbids changing settings (readonly=1), so a"
          + " server-side limit would cut a session silently; use a user whose profile sets these to throw"
          + " or allows changing them (readonly=2)");
    }
    return force;
  }

  /**
   * A whole session is one query: its sort ({@code ORDER BY} timestamp, for streaming) and its
   * {@code GROUP BY}s (pushdown) grow with the session, and past the user's {@code
   * max_memory_usage} the query fails (a 10M-row session needs ~4 GB to sort on 18.16). When the
   * user may change settings and the profile sets no spill thresholds of its own, sorts and
   * aggregations past half of {@code max_memory_usage} spill to disk instead ({@code
   * max_bytes_before_external_sort}, {@code max_bytes_before_external_group_by}, the half that
   * ClickHouse's documentation advises): slower, but a big session is read rather than refused.
   *
   * @return the settings to send with every query; none when readonly, unlimited or already set
   */
  private static Map<String, String> spillToDisk(QueryRunner q) {
    Map<String, String> values = new HashMap<>();
    for (String[] fields : tsv(q, "SELECT name, value FROM system.settings WHERE name IN ('readonly',"
        + " 'max_memory_usage', 'max_bytes_before_external_sort', 'max_bytes_before_external_group_by')"
        + " FORMAT TabSeparated", "reading the user's memory settings")) {
      if (fields.length >= 2) {
        values.put(fields[0], fields[1]);
      }
    }
    long limit;
    try {
      limit = Long.parseLong(values.getOrDefault("max_memory_usage", "0"));
    } catch (NumberFormatException e) {
      return Map.of();
    }
    if (!values.getOrDefault("readonly", "0").equals("0") || limit <= 0) {
      return Map.of();
    }
    Map<String, String> spill = new LinkedHashMap<>();
    for (String name : List.of("max_bytes_before_external_sort", "max_bytes_before_external_group_by")) {
      if (values.getOrDefault(name, "").equals("0")) {
        spill.put(name, Long.toString(limit / 2));
      }
    }
    return spill;
  }

  private static Map<String, ColumnType> describe(QueryRunner q, String database, String table) {
    Map<String, ColumnType> layout = new LinkedHashMap<>();
    for (String[] fields : tsv(q, "DESCRIBE TABLE " + Sql.table(database, table) + " FORMAT TabSeparated",
        "describing table " + database + "." + table)) {
      if (fields.length >= 2) {
        layout.put(unescapeTsv(fields[0]), ColumnType.parse(unescapeTsv(fields[1])));
      }
    }
    if (layout.isEmpty()) {
      throw new LogSourceException(Reason.SCHEMA, "table " + database + "." + table + " on " + q.endpoint()
          + " has no columns");
    }
    return layout;
  }

  /**
   * Whether counting a session's rows is cheap: a MergeTree table (or a Distributed one over
   * MergeTrees) reads its key's index; a view runs its whole query.
   */
  boolean countsCheaply() {
    return engine.endsWith("MergeTree") || engine.equals("Distributed");
  }

  /**
   * The engines of the table and of the objects of {@code execflow install-listing} that exist,
   * from {@code system.tables}, by name; empty when the server does not say (no access).
   */
  static Map<String, String> engines(QueryRunner q, String database, String table, SummarySql.Names listing) {
    StringBuilder names = new StringBuilder(Sql.literal(table));
    for (String name : listing.all()) {
      names.append(", ").append(Sql.literal(name));
    }
    Map<String, String> engines = new LinkedHashMap<>();
    try {
      for (String[] row : tsv(q, "SELECT name, engine FROM system.tables WHERE database = " + Sql.literal(database)
          + " AND name IN (" + names + ") FORMAT TabSeparated", "reading the engine of " + table)) {
        if (row.length >= 2) {
          engines.put(unescapeTsv(row[0]), unescapeTsv(row[1]));
        }
      }
    } catch (LogSourceException e) {
      if (e.reason() == Reason.INTERRUPTED) {
        throw e;
      }
      // no access to system.tables: a table of unknown cost, listed by scanning
    }
    return engines;
  }

  /** A small TabSeparated answer, split into fields. */
  static List<String[]> tsv(QueryRunner q, String sql, String what) {
    QuerySettings settings = q.settings(false).setFormat(ClickHouseFormat.TabSeparated);
    QueryResponse response = q.send(sql, Map.of(), settings, what);
    List<String[]> rows = new ArrayList<>();
    try (BufferedReader lines = new BufferedReader(
        new InputStreamReader(response.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null) {
        rows.add(line.split("\t", -1));
      }
    } catch (IOException | RuntimeException e) {
      throw Errors.translate(e, q.endpoint(), q.user(), what);
    } finally {
      q.finish(response);
    }
    return rows;
  }

  static String unescapeTsv(String field) {
    if (field.indexOf('\\') < 0) {
      return field;
    }
    StringBuilder out = new StringBuilder(field.length());
    for (int i = 0; i < field.length(); i++) {
      char ch = field.charAt(i);
      if (ch == '\\' && i + 1 < field.length()) {
        char next = field.charAt(++i);
        switch (next) {
          case 't': out.append('\t'); break;
          case 'n': out.append('\n'); break;
          case 'r': out.append('\r'); break;
          case '0': out.append('\0'); break;
          case 'b': out.append('\b'); break;
          case 'f': out.append('\f'); break;
          default: out.append(next);
        }
      } else {
        out.append(ch);
      }
    }
    return out.toString();
  }

  /**
   * Verifies the response encoding with a probe whose answer is known: compressed where allowed
   * and correct, else uncompressed, which must be correct (it is not when a host's own client was
   * built with HTTP compression that the server mishandles).
   */
  private static boolean chooseCompression(QueryRunner q, Compression compression, ServerVersion version) {
    if (compression == Compression.ON || (compression == Compression.AUTO && version.mayCompress())) {
      String answer = probe(q, true);
      if (answer == null) {
        return true;
      }
      if (compression == Compression.ON) {
        throw new LogSourceException(Reason.UNSUPPORTED, "ClickHouse " + version + " at " + q.endpoint()
            + " answers compressed responses wrongly (" + answer + "); use Compression.OFF or AUTO");
      }
    }
    String answer = probe(q, false);
    if (answer != null) {
      throw new LogSourceException(Reason.UNSUPPORTED, "ClickHouse " + version + " at " + q.endpoint()
          + " returns wrong values to this client (" + answer + "); if you passed your own Client,"
          + " build it with useHttpCompression(false)");
    }
    return false;
  }

  /** Null when the probe's answer is exactly right, else what was wrong. */
  private static String probe(QueryRunner q, boolean compress) {
    String what = "probing the response encoding";
    String sql = "SELECT toString(number) AS s, toFloat64(number) / 4 AS f, "
        + "if(number % 3 = 0, NULL, concat('v', toString(number))) AS n "
        + "FROM system.numbers LIMIT " + PROBE_ROWS + " FORMAT RowBinary";
    QueryResponse response;
    try {
      response = q.start(sql, Map.of(), compress, what);
    } catch (LogSourceException e) {
      if (compress && e.reason() == Reason.UNAVAILABLE) {
        return Errors.rootMessage(e);
      }
      throw e;
    }
    try {
      // read exactly as a session is read, so that the probe verifies that path
      RowBinaryInput in = new RowBinaryInput(response.getInputStream(), 1);
      int i = 0;
      while (!in.atEnd()) {
        String s = in.string(-1);
        double f = in.float64();
        String n = in.nullableString(0);
        String expectN = i % 3 == 0 ? null : "v" + i;
        if (!String.valueOf(i).equals(s) || f != i / 4.0 || !Objects.equals(expectN, n)) {
          return "row " + i + " came back as [" + s + ", " + f + ", " + n + "]";
        }
        i++;
      }
      return i == PROBE_ROWS ? null : "got " + i + " of " + PROBE_ROWS + " rows, without an error";
    } catch (IOException | RuntimeException e) {
      return Errors.rootMessage(e);
    } finally {
      q.finish(response);
    }
  }
}
