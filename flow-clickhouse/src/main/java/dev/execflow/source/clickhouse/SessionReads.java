package dev.execflow.source.clickhouse;

import com.clickhouse.client.api.query.QueryResponse;
import dev.execflow.source.clickhouse.internal.Parameters;
import dev.execflow.source.clickhouse.internal.RowBinaryInput;
import dev.execflow.source.clickhouse.internal.RowDecoder;
import dev.execflow.spi.LogSourceException;
import dev.execflow.spi.LogSourceException.Reason;
import dev.execflow.spi.RowSink;
import dev.execflow.spi.SessionQuery;
import dev.execflow.spi.WarningKind;
import java.io.IOException;
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
    long delivered = 0;
    RowBinaryInput in = null;
    try {
      in = new RowBinaryInput(response.getInputStream(), RowDecoder.cacheSlots());
      RowDecoder decoder = new RowDecoder(query.sessionId(),
          query.wantsContent() ? query.contentLimit() : contentLimit);
      long seen = 0;
      while (true) {
        String problem;
        try {
          if (in.atEnd()) {
            break;
          }
          problem = decoder.decode(in);
        } catch (IOException | RuntimeException e) {
          throw q.broken(e, what, delivered, flight);
        }
        seen++;
        if ((seen & 0x3FF) == 0 && Thread.currentThread().isInterrupted()) {
          throw q.interrupted(what, delivered, flight);
        }
        if (problem != null) {
          sink.warning(WarningKind.BAD_VALUE, Endpoints.describeId(query.sessionId()) + " row " + seen + ": "
              + problem);
          continue;
        }
        if (!query.covers(decoder.row().timestamp())) {
          continue;
        }
        delivered++;
        sink.accept(decoder.row());
      }
      q.checkCompleted(what, delivered, flight);
      return delivered;
    } finally {
      if (bytes != null && in != null) {
        bytes[0] += in.position();
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
    long delivered = 0;
    try {
      RowBinaryInput in = new RowBinaryInput(response.getInputStream(), RowDecoder.cacheSlots());
      RowDecoder decoder = new RowDecoder(null, contentLimit);
      String current = null;
      RowSink sink = null;
      SessionQuery query = null;
      long seen = 0;
      while (true) {
        String problem;
        try {
          if (in.atEnd()) {
            break;
          }
          problem = decoder.decode(in);
        } catch (IOException | RuntimeException e) {
          throw q.broken(e, what, delivered, flight);
        }
        seen++;
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
          sink.warning(WarningKind.BAD_VALUE, Endpoints.describeId(id) + " row " + seen + ": " + problem);
          continue;
        }
        if (!query.covers(decoder.row().timestamp())) {
          continue;
        }
        delivered++;
        sink.accept(decoder.row());
      }
      q.checkCompleted(what, delivered, flight);
      return delivered;
    } finally {
      q.finish(response);
    }
  }
}
