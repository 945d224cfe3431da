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
 * is installed ({@code ListingSql#summaryPageSelect}: O(page) rows merged, plus one small state row
 * per session for the order), else from one aggregating query over the whole table ({@code
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
    Parameters params = new Parameters(c.bind());
    SummarySql.Names summary = c.listing() != null ? c.listing() : installedSince();
    String sql;
    try {
      sql = (summary != null
          ? ListingSql.summaryPageSelect(summary.qualifiedSummary(), params, query.cascadeId(), status, afterFirst,
              afterSession, query.limit())
          : ListingSql.listSelect(c.plan(), params, query.cascadeId(), status, afterFirst, afterSession, query.limit()))
          + "\nFORMAT RowBinary";
    } catch (IllegalArgumentException e) {
      throw new LogSourceException(Reason.BAD_INPUT, "cannot list sessions: " + e.getMessage(), e);
    }
    String what = "listing sessions of " + qualified;
    QueryResponse response = q.start(sql, params.values(), c.compress(), what);
    QueryRunner.Flight flight = q.flightOf(response);
    List<SessionSummary> sessions = new ArrayList<>();
    boolean more = false;
    try {
      ClickHouseBinaryFormatReader reader = q.client().newBinaryFormatReader(response, ListingSql.LIST);
      try {
        while (reader.hasNext()) {
          reader.next();
          if (sessions.size() == query.limit()) {
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
    String next = null;
    if (more) {
      SessionSummary last = sessions.get(sessions.size() - 1);
      next = encodeCursor(last.firstTimestamp(), last.sessionId());
    }
    return new SessionPage(sessions, next, List.of(), summary == null);
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
