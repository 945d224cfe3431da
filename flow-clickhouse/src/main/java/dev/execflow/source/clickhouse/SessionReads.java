package dev.execflow.source.clickhouse;

import com.clickhouse.client.api.query.QueryResponse;
import dev.execflow.source.clickhouse.internal.Parameters;
import dev.execflow.source.clickhouse.internal.RowDecoder;
import dev.execflow.spi.LogSourceException;
import dev.execflow.spi.LogSourceException.Reason;
import dev.execflow.spi.RowSink;
import dev.execflow.spi.SessionQuery;
import dev.execflow.spi.WarningKind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Streams sessions' rows: one session's (optionally a time range), or several sessions' at once.
 * Rows are decoded from the RowBinary response into one reused row and handed on one at a time; a
 * row the decoder cannot read is a {@code bad_value} warning, never a silent loss.
 */
final class SessionReads {
  private final QueryRunner q;
  private final String qualified;
  private final int contentLimit;

  SessionReads(QueryRunner q, String qualified, int contentLimit) {
    this.q = q;
    this.qualified = qualified;
    this.contentLimit = contentLimit;
  }

  /** One session's rows in canonical order (see {@code SelectPlan#sessionSelect}). */
  long read(TableConnection c, SessionQuery query, RowSink sink) {
    return read(c, query, sink, null);
  }

  /** {@link #read(TableConnection, SessionQuery, RowSink)}, adding the response's bytes to {@code bytes[0]}. */
  long read(TableConnection c, SessionQuery query, RowSink sink, long[] bytes) {
    Objects.requireNonNull(sink, "sink");
    String what = "reading session " + Endpoints.describeId(query.sessionId()) + " from " + qualified;
    Parameters params = new Parameters(c.bind());
    String sql;
    try {
      // a query that wants every row's content gets it, cut at its own bound
      sql = c.plan().sessionSelect(params, query.sessionId(), query.fromTimestamp(), query.toTimestamp(),
          query.contentLimit()) + "\nFORMAT RowBinary";
    } catch (IllegalArgumentException e) {
      throw new LogSourceException(Reason.BAD_INPUT, "cannot query session "
          + Endpoints.describeId(query.sessionId()) + ": " + e.getMessage(), e);
    }
    QueryResponse response = q.start(sql, params.values(), c.compress(), what);
    QueryRunner.Flight flight = q.flightOf(response);
    DecodedRows rows = null;
    try {
      rows = new DecodedRows(q, response, new RowDecoder(query.sessionId(),
          query.wantsContent() ? query.contentLimit() : contentLimit), what, flight);
      while (rows.next()) {
        if (rows.problem != null) {
          sink.warning(WarningKind.BAD_VALUE, Endpoints.describeId(query.sessionId()) + " row " + rows.seen + ": "
              + rows.problem);
          continue;
        }
        if (!query.covers(rows.decoder.row().timestamp())) {
          continue;
        }
        rows.delivered++;
        sink.accept(rows.decoder.row());
      }
      q.checkCompleted(what, rows.delivered, flight);
      return rows.delivered;
    } finally {
      if (bytes != null && rows != null) {
        bytes[0] += rows.in.position();
      }
      q.finish(response);
    }
  }

  /** At most {@link ClickHouseLogSource#SESSIONS_PER_QUERY} sessions' rows in one query. */
  long readSessions(TableConnection c, List<SessionQuery> queries, Function<String, RowSink> sinks) {
    if (queries.isEmpty()) {
      return 0;
    }
    String what = "reading " + queries.size() + " sessions from " + qualified;
    Parameters params = new Parameters(c.bind());
    List<String> ids = new ArrayList<>(queries.size());
    double[] froms = new double[queries.size()];
    double[] tos = new double[queries.size()];
    Map<String, SessionQuery> byId = new HashMap<>();
    for (int i = 0; i < queries.size(); i++) {
      SessionQuery query = queries.get(i);
      if (byId.put(query.sessionId(), query) != null) {
        throw new IllegalArgumentException("two queries of session " + Endpoints.describeId(query.sessionId()));
      }
      ids.add(query.sessionId());
      froms[i] = query.fromTimestamp();
      tos[i] = query.toTimestamp();
    }
    String sql;
    try {
      sql = c.plan().sessionsSelect(params, ids, froms, tos) + "\nFORMAT RowBinary";
    } catch (IllegalArgumentException e) {
      throw new LogSourceException(Reason.BAD_INPUT, "cannot query " + queries.size() + " sessions: "
          + e.getMessage(), e);
    }
    QueryResponse response = q.start(sql, params.values(), c.compress(), what);
    QueryRunner.Flight flight = q.flightOf(response);
    try {
      DecodedRows rows = new DecodedRows(q, response, new RowDecoder(null, contentLimit), what, flight);
      RowDecoder decoder = rows.decoder;
      String current = null;
      RowSink sink = null;
      SessionQuery query = null;
      while (rows.next()) {
        String problem = rows.problem;
        String id = decoder.row().sessionId();
        if (!id.equals(current)) {
          current = id;
          query = byId.get(id);
          sink = query == null ? null : sinks.apply(id);
        }
        if (sink == null) {
          continue; // a session the server matched by another spelling: not asked for
        }
        if (problem != null) {
          sink.warning(WarningKind.BAD_VALUE, Endpoints.describeId(id) + " row " + rows.seen + ": " + problem);
          continue;
        }
        if (!query.covers(decoder.row().timestamp())) {
          continue;
        }
        rows.delivered++;
        sink.accept(decoder.row());
      }
      q.checkCompleted(what, rows.delivered, flight);
      return rows.delivered;
    } finally {
      q.finish(response);
    }
  }
}
