package dev.execflow.source.clickhouse;

import com.clickhouse.client.api.data_formats.ClickHouseBinaryFormatReader;
import com.clickhouse.client.api.query.QueryResponse;
import dev.execflow.assemble.Pricing;
import dev.execflow.model.Status;
import dev.execflow.source.clickhouse.internal.Parameters;
import dev.execflow.source.clickhouse.internal.ListingSql;
import dev.execflow.source.clickhouse.internal.SummarySql;
import dev.execflow.spi.LogSourceException;
import dev.execflow.spi.LogSourceException.Reason;
import dev.execflow.spi.SessionListQuery;
import dev.execflow.spi.SessionPage;
import dev.execflow.spi.SessionSummary;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * A page of the instances grid, newest first, with a keyed cursor: the first timestamp and session
 * id of the page's last line. From the session summary of {@code execflow install-listing} when it
 * is installed ({@code ListingSql#summaryPageSelect}: the sessions that started in a window of time
 * below the cursor, found by the start index's key, widened until the page is full), else from one aggregating query over the whole table ({@code
 * ListingSql#listSelect}), and then the page says {@link SessionPage#scanned()}. Both answer alike
 * (the listing == fold law holds through either) and share the cursor, so a page of one can be
 * continued by the other.
 */
final class SessionListing {
  private final QueryRunner q;
  private final String qualified;
  private final String table;
  private final SummarySql.Names names;

  SessionListing(QueryRunner q, String database, String table) {
    this.q = q;
    this.qualified = database + "." + table;
    this.table = table;
    this.names = SummarySql.Names.of(database, table);
  }

  SessionPage list(TableConnection c, SessionListQuery query) {
    double afterFirst = Double.NaN;
    String afterSession = null;
    if (query.after() != null) {
      String[] key = decodeCursor(query.after());
      afterFirst = Double.longBitsToDouble(Long.parseUnsignedLong(key[0], 16));
      afterSession = key[1];
    }
    if (query.status() == Status.PENDING) {
      // a session with rows has started: none is pending
      return new SessionPage(List.of(), null);
    }
    String status = query.status() == null ? null : query.status().name().toLowerCase(Locale.ROOT);
    SummarySql.Names summary = c.listing() != null ? c.listing() : installedSince();
    Rows rows;
    if (summary == null) {
      Parameters params = new Parameters(c.bind());
      rows = read(c, params, ListingSql.listSelect(c.plan(), params, query.cascadeId(), status, afterFirst,
          afterSession, query.limit()), query.limit());
    } else {
      Window window = Window.below(startsStats(c, summary), afterFirst, query.limit());
      while (true) {
        Parameters params = new Parameters(c.bind());
        rows = read(c, params, ListingSql.summaryPageSelect(summary, params, query.cascadeId(), status, afterFirst,
            afterSession, query.limit(), window.lower()), query.limit());
        if (window.unbounded() || rows.more()) {
          break; // a full page from the window is the page: every session that started earlier ranks below
        }
        window = window.wider();
      }
    }
    String next = null;
    if (rows.more()) {
      SessionSummary last = rows.sessions().get(rows.sessions().size() - 1);
      next = encodeCursor(last.firstTimestamp(), last.sessionId());
    }
    return new SessionPage(rows.sessions(), next, List.of(), summary == null);
  }

  /** A page's lines, and whether a next one exists. */
  private record Rows(List<SessionSummary> sessions, boolean more) {}

  private Rows read(TableConnection c, Parameters params, String select, int limit) {
    String what = "listing sessions of " + qualified;
    QueryResponse response = q.start(select + "\nFORMAT RowBinary", params.values(), c.compress(), what);
    QueryRunner.Flight flight = q.flightOf(response);
    List<SessionSummary> sessions = new ArrayList<>();
    boolean more = false;
    try {
      ClickHouseBinaryFormatReader reader = q.client().newBinaryFormatReader(response, ListingSql.LIST);
      try {
        while (reader.hasNext()) {
          reader.next();
          if (sessions.size() == limit) {
            more = true;
            break;
          }
          sessions.add(new SessionSummary(reader.readValue(1), reader.readValue(2),
              reader.getDouble(3), reader.getDouble(4),
              Status.valueOf(reader.getString(5).toUpperCase(Locale.ROOT)),
              Pricing.dollars(reader.getLong(6)), reader.getLong(7)));
        }
      } catch (RuntimeException e) {
        throw q.broken(e, what, sessions.size(), flight);
      }
      q.checkCompleted(what, sessions.size(), flight);
    } finally {
      q.finish(response);
    }
    return new Rows(sessions, more);
  }

  /** The earliest and latest start time and the number of start rows of the summary's start index. */
  private double[] startsStats(TableConnection c, SummarySql.Names summary) {
    String what = "reading the start times of " + qualified;
    QueryResponse response = q.start(ListingSql.startsStats(summary) + "\nFORMAT RowBinary", java.util.Map.of(),
        c.compress(), what);
    try {
      ClickHouseBinaryFormatReader reader = q.client().newBinaryFormatReader(response, ListingSql.STARTS_STATS);
      if (!reader.hasNext()) {
        return new double[] {Double.NaN, Double.NaN, 0};
      }
      reader.next();
      return new double[] {reader.getDouble(1), reader.getDouble(2), reader.getLong(3)};
    } catch (RuntimeException e) {
      throw q.broken(e, what, 0, q.flightOf(response));
    } finally {
      q.finish(response);
    }
  }

  /**
   * The start times a windowed page looks at: {@code [lower, top]}, {@code top} the cursor's time
   * (or the latest start), first as wide as the page would be if sessions started evenly (times
   * four), sixteen times wider after each page that came back short; unbounded (NaN) once it
   * reaches the earliest start, or when the times say nothing (none, or not finite).
   */
  record Window(double top, double width, double earliest) {
    static Window below(double[] stats, double afterFirst, int limit) {
      double min = stats[0];
      double max = stats[1];
      double n = stats[2];
      if (n == 0 || !Double.isFinite(min) || !Double.isFinite(max)) {
        return new Window(Double.NaN, Double.NaN, Double.NaN);
      }
      double top = Double.isNaN(afterFirst) ? max : Math.min(afterFirst, max);
      return new Window(top, Math.max((max - min) / n * (limit + 1.0) * 4, 1.0), min);
    }

    Window wider() {
      return new Window(top, width * 16, earliest);
    }

    boolean unbounded() {
      return Double.isNaN(lower());
    }

    /** NaN: every session below the cursor. */
    double lower() {
      double lower = top - width;
      return Double.isNaN(lower) || lower <= earliest ? Double.NaN : lower;
    }
  }

  /**
   * The summary when it was installed after this connection looked (by {@code execflow
   * install-listing} from another process): one small query to system.tables, before a scan that
   * costs the table.
   */
  private SummarySql.Names installedSince() {
    return TableConnection.engines(q, names.database(), table, names).keySet().containsAll(names.all()) ? names : null;
  }

  static String encodeCursor(double first, String sessionId) {
    String plain = "ch1\n" + Long.toHexString(Double.doubleToRawLongBits(first)) + "\n" + sessionId;
    return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
  }

  static String[] decodeCursor(String cursor) {
    try {
      String plain = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      String[] parts = plain.split("\n", 3);
      if (parts.length == 3 && parts[0].equals("ch1")) {
        Long.parseUnsignedLong(parts[1], 16);
        return new String[] {parts[1], parts[2]};
      }
    } catch (IllegalArgumentException e) {
      // reported below
    }
    throw new LogSourceException(Reason.BAD_INPUT, "not a session list cursor of this source: " + cursor);
  }
}
