package dev.execflow.source.clickhouse;

import com.clickhouse.client.api.query.QueryResponse;
import dev.execflow.source.clickhouse.internal.Parameters;
import dev.execflow.source.clickhouse.internal.PushdownSql;
import dev.execflow.source.clickhouse.internal.RowBinaryInput;
import dev.execflow.source.clickhouse.internal.RowDecoder;
import dev.execflow.spi.LogRow;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The pushdown's queries and their small answers, decoded from RowBinary; counts the queries and
 * the bytes they brought.
 */
final class PushdownQueries {
  /** One place of {@link PushdownSql#verifySelect}: what the traces summed whole add to it. */
  record Verified(long place, long traces, long picos, long tokensIn, long tokensOut, double amount,
      long costUpdates, double costUpdateFirst, double costUpdateLast, long failures, List<Long> ties) {}

  /** One line of {@link PushdownSql#aggregateSelect}. */
  record Aggregated(int kind, long place, String name, long rows, double firstTs, double lastTs, long namedRows,
      double created, long turns, long maxTurns, long picos, long tokensIn, long tokensOut, double amount) {}

  /** A summed trace a streamed row names as its parent ({@link PushdownSql#anchorSelect}). */
  record Anchor(String trace, double firstTs, String phase) {}

  /** What {@link PushdownSql#factsSelect} says about the session. */
  record Facts(long rows, long badRows) {}

  private final QueryRunner q;
  private final TableConnection c;
  private final Parameters params;
  private final String sessionId;
  private final int contentLimit;
  private long bytes;
  private int queries;

  PushdownQueries(QueryRunner q, TableConnection c, Parameters params, String sessionId, int contentLimit) {
    this.q = q;
    this.c = c;
    this.params = params;
    this.sessionId = sessionId;
    this.contentLimit = contentLimit;
  }

  long bytes() {
    return bytes;
  }

  int queries() {
    return queries;
  }

  Facts facts(PushdownSql sql) {
    List<Facts> out = new ArrayList<>();
    run(sql.factsSelect(), "checking session " + Endpoints.describeId(sessionId) + " for pushdown",
        in -> out.add(new Facts(in.int64(), in.int64())));
    return out.isEmpty() ? new Facts(0, 0) : out.get(0);
  }

  long count(String sql) {
    long[] n = {0};
    run(sql, "counting the rows of session " + Endpoints.describeId(sessionId), in -> n[0] = in.int64());
    return n[0];
  }

  List<Verified> verify(PushdownSql sql) {
    List<Verified> out = new ArrayList<>();
    run(sql.verifySelect(), "placing the rows of session " + Endpoints.describeId(sessionId) + " server-side", in -> {
      long place = in.int64();
      long traces = in.int64();
      long picos = in.int64();
      long tin = in.int64();
      long tout = in.int64();
      double amount = in.float64();
      long costUpdates = in.int64();
      double first = in.float64();
      double last = in.float64();
      long failures = in.int64();
      int n = in.arrayLength();
      List<Long> ties = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        ties.add(in.int64());
      }
      out.add(new Verified(place, traces, picos, tin, tout, amount, costUpdates, first, last, failures, ties));
    });
    return out;
  }

  List<Aggregated> aggregate(PushdownSql sql) {
    List<Aggregated> out = new ArrayList<>();
    run(sql.aggregateSelect(), "summing the rows of session " + Endpoints.describeId(sessionId), in -> out.add(
        new Aggregated(in.uint8(), in.int64(), in.string(-1), in.int64(), in.float64(), in.float64(), in.int64(),
            in.float64(), in.int64(), in.int64(), in.int64(), in.int64(), in.int64(), in.float64())));
    return out;
  }

  List<Anchor> anchors(PushdownSql sql) {
    List<Anchor> out = new ArrayList<>();
    run(sql.anchorSelect(), "reading the parents of streamed rows of session " + Endpoints.describeId(sessionId),
        in -> out.add(new Anchor(in.string(-1), in.float64(), in.string(-1))));
    return out;
  }

  /** Phase name to its named and inferred label. */
  List<String[]> labels(PushdownSql sql) {
    List<String[]> out = new ArrayList<>();
    run(sql.labelsSelect(), "labelling phases", in -> out.add(new String[] {in.string(-1),
        Long.toUnsignedString(in.int64()), Long.toUnsignedString(in.int64())}));
    return out;
  }

  /** Streams the rows of {@code select} (a session's wire, canonical order) into {@code rows}; bad rows are reported. */
  void stream(String select, String what, RowConsumer rows) {
    String sql = select + "\nFORMAT RowBinary";
    QueryResponse response = q.start(sql, params.values(), c.compress(), what);
    queries++;
    QueryRunner.Flight flight = q.flightOf(response);
    long delivered = 0;
    RowBinaryInput in = null;
    try {
      in = new RowBinaryInput(response.getInputStream(), RowDecoder.cacheSlots());
      RowDecoder decoder = new RowDecoder(sessionId, contentLimit);
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
        if ((++delivered & 0x3FF) == 0 && Thread.currentThread().isInterrupted()) {
          throw q.interrupted(what, delivered, flight);
        }
        rows.accept(decoder.row(), problem);
      }
      q.checkCompleted(what, delivered, flight);
    } finally {
      if (in != null) {
        bytes += in.position();
      }
      q.finish(response);
    }
  }

  /** A streamed row and, when the decoder could not read it, why. */
  interface RowConsumer {
    void accept(LogRow row, String problem);
  }

  /** Reads one line of an answer (the caller's reads must consume exactly one line). */
  private interface LineReader {
    void read(RowBinaryInput in) throws IOException;
  }

  private void run(String sql, String what, LineReader lines) {
    QueryResponse response = q.start(sql + "\nFORMAT RowBinary", params.values(), c.compress(), what);
    queries++;
    QueryRunner.Flight flight = q.flightOf(response);
    RowBinaryInput in = null;
    long read = 0;
    try {
      in = new RowBinaryInput(response.getInputStream(), 1);
      try {
        while (!in.atEnd()) {
          lines.read(in);
          read++;
        }
      } catch (IOException | RuntimeException e) {
        throw q.broken(e, what, read, flight);
      }
      q.checkCompleted(what, read, flight);
    } finally {
      if (in != null) {
        bytes += in.position();
      }
      q.finish(response);
    }
  }
}
