package dev.execflow.source.clickhouse;

import com.clickhouse.client.api.data_formats.ClickHouseBinaryFormatReader;
import com.clickhouse.client.api.metadata.TableSchema;
import com.clickhouse.client.api.query.QueryResponse;
import com.clickhouse.client.api.query.QuerySettings;
import com.clickhouse.data.ClickHouseColumn;
import com.clickhouse.data.ClickHouseFormat;
import dev.execflow.assemble.Vocabulary;
import dev.execflow.source.clickhouse.internal.ColumnType;
import dev.execflow.source.clickhouse.internal.Errors;
import dev.execflow.source.clickhouse.internal.RowBinaryInput;
import dev.execflow.source.clickhouse.internal.SelectPlan;
import dev.execflow.source.clickhouse.internal.ServerVersion;
import dev.execflow.source.clickhouse.internal.Sql;
import dev.execflow.spi.ColumnMapping;
import dev.execflow.spi.LogSourceException;
import dev.execflow.spi.LogSourceException.Reason;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Connecting to a table: the server's version, the table's columns ({@code DESCRIBE TABLE}), the
 * column mapping (configured, a preset restricted to the table, or detected), the SELECT plan, and
 * a probe with a known answer that decides the response encoding (see {@link Compression}).
 */
final class ClickHouseConnector {
  /** What connecting found out. */
  record Connection(ServerVersion version, SelectPlan plan, Map<String, ColumnType> layout,
      boolean compress, boolean bind) {}

  private final ClickHouseQueries queries;
  private final String database;
  private final String table;
  private final ColumnMapping configuredMapping;
  private final Compression compression;
  private final int contentLimit;
  private final boolean contentForEveryRow;
  private final Vocabulary vocabulary;

  ClickHouseConnector(ClickHouseQueries queries, ClickHouseLogSourceBuilder b) {
    this.queries = queries;
    this.database = b.database;
    this.table = b.table;
    this.configuredMapping = b.mapping;
    this.compression = b.compression;
    this.contentLimit = b.contentLimit;
    this.contentForEveryRow = b.contentForEveryRow;
    this.vocabulary = b.vocabulary;
  }

  Connection establish() {
    ServerVersion version = ServerVersion.parse(queryVersion());
    Map<String, ColumnType> layout = describe();
    ColumnMapping mapping = configuredMapping == null ? detect(layout)
        : isPreset(configuredMapping) ? configuredMapping.presentIn(layout.keySet()) : configuredMapping;
    SelectPlan plan = SelectPlan.of(database, table, mapping, layout, contentLimit, contentForEveryRow, vocabulary);
    boolean compress = chooseCompression(version);
    return new Connection(version, plan, layout, compress, version.supportsQueryParameters());
  }

  /** A named preset may meet an older table without its optional columns; a custom mapping is exact. */
  private static boolean isPreset(ColumnMapping mapping) {
    return mapping == ColumnMapping.WINDLASS || mapping == ColumnMapping.RVBBIT;
  }

  /** See {@link ColumnMapping#detect}. */
  static ColumnMapping detect(Map<String, ColumnType> layout) {
    return ColumnMapping.detect(layout.keySet());
  }

  private String queryVersion() {
    String what = "connecting";
    QueryResponse response = queries.start("SELECT version() FORMAT RowBinary", Map.of(), false, what);
    try {
      ClickHouseBinaryFormatReader reader = queries.client().newBinaryFormatReader(response,
          new TableSchema(List.of(ClickHouseColumn.of("v", "String"))));
      if (!reader.hasNext()) {
        throw new LogSourceException(Reason.UNAVAILABLE, "ClickHouse at " + queries.endpoint()
            + " answered SELECT version() with nothing; is this a ClickHouse HTTP endpoint?");
      }
      reader.next();
      return reader.getString(1);
    } catch (LogSourceException e) {
      throw e;
    } catch (RuntimeException e) {
      throw Errors.translate(e, queries.endpoint(), queries.user(), what);
    } finally {
      queries.finish(response);
    }
  }

  private Map<String, ColumnType> describe() {
    String what = "describing table " + database + "." + table;
    QuerySettings settings = queries.settings(false).setFormat(ClickHouseFormat.TabSeparated);
    QueryResponse response = queries.send("DESCRIBE TABLE " + Sql.table(database, table) + " FORMAT TabSeparated",
        Map.of(), settings, what);
    Map<String, ColumnType> layout = new LinkedHashMap<>();
    try (BufferedReader lines = new BufferedReader(
        new InputStreamReader(response.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null) {
        String[] fields = line.split("\t", -1);
        if (fields.length >= 2) {
          layout.put(unescapeTsv(fields[0]), ColumnType.parse(unescapeTsv(fields[1])));
        }
      }
    } catch (IOException | RuntimeException e) {
      throw Errors.translate(e, queries.endpoint(), queries.user(), what);
    } finally {
      queries.finish(response);
    }
    if (layout.isEmpty()) {
      throw new LogSourceException(Reason.SCHEMA, "table " + database + "." + table + " on " + queries.endpoint()
          + " has no columns");
    }
    return layout;
  }

  private static String unescapeTsv(String field) {
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
  private boolean chooseCompression(ServerVersion version) {
    if (compression == Compression.ON || (compression == Compression.AUTO && version.mayCompress())) {
      String answer = probe(true);
      if (answer == null) {
        return true;
      }
      if (compression == Compression.ON) {
        throw new LogSourceException(Reason.UNSUPPORTED, "ClickHouse " + version + " at " + queries.endpoint()
            + " answers compressed responses wrongly (" + answer + "); use Compression.OFF or AUTO");
      }
    }
    String answer = probe(false);
    if (answer != null) {
      throw new LogSourceException(Reason.UNSUPPORTED, "ClickHouse " + version + " at " + queries.endpoint()
          + " returns wrong values to this client (" + answer + "); if you passed your own Client,"
          + " build it with useHttpCompression(false)");
    }
    return false;
  }

  private static final int PROBE_ROWS = 1000;

  /** Null when the probe's answer is exactly right, else what was wrong. */
  private String probe(boolean compress) {
    String what = "probing the response encoding";
    String sql = "SELECT toString(number) AS s, toFloat64(number) / 4 AS f, "
        + "if(number % 3 = 0, NULL, concat('v', toString(number))) AS n "
        + "FROM system.numbers LIMIT " + PROBE_ROWS + " FORMAT RowBinary";
    QueryResponse response;
    try {
      response = queries.start(sql, Map.of(), compress, what);
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
      queries.finish(response);
    }
  }
}
