package dev.execflow.source.clickhouse;

import com.clickhouse.client.api.query.QueryResponse;
import com.clickhouse.client.api.query.QuerySettings;
import dev.execflow.source.clickhouse.internal.Parameters;
import dev.execflow.source.clickhouse.internal.PushdownSql;
import dev.execflow.source.clickhouse.internal.RowBinaryInput;
import dev.execflow.source.clickhouse.internal.RowDecoder;
import dev.execflow.spi.LogRow;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The pushdown's queries and their small answers, decoded from RowBinary; counts the queries and
 * the bytes they brought. Two queries may run at once (the pushdown runs independent ones
 * concurrently): the counters are atomic and the settings are read under a lock.
 */
final class PushdownQueries {
  /** One place of {@link PushdownSql#verifySelect}: what the traces summed whole add to it. */
  record Verified(long place, long traces, long picos, long tokensIn, long tokensOut, double amount,
      long costUpdates, double costUpdateFirst, double costUpdateLast, long failures, List<Long> ties,
      List<Long> streamed) {}

  /** One line of {@link PushdownSql#aggregateSelect}. */
  record Aggregated(int kind, long place, String name, long rows, double firstTs, double lastTs, long namedRows,
      double created, long turns, long maxTurns, long picos, long tokensIn, long tokensOut, double amount) {}

  /** A summed trace a streamed row names as its parent ({@link PushdownSql#anchorSelect}). */
  record Anchor(String trace, double firstTs, String phase) {}

  /** What {@link PushdownSql#factsSelect} says about the session. */
  record Facts(long rows, long badRows, long messageIds, long distinctMessageIds, long structureTimeCount,
      List<Double> structureTimes) {}

  private final QueryRunner q;
  private final TableConnection c;
  private final Parameters params;
  private final String sessionId;
  private final int contentLimit;
  /** Shorter queries fit any server's {@code max_query_size} (18.16: 256 KiB by default). */
  private static final long SMALL_QUERY = 64 * 1024;
  private final AtomicLong bytes = new AtomicLong();
  private final AtomicInteger queries = new AtomicInteger();
  private long maxQuerySize = -1;
  private boolean mayChangeSettings;

  PushdownQueries(QueryRunner q, TableConnection c, Parameters params, String sessionId, int contentLimit) {
    this.q = q;
    this.c = c;
    this.params = params;
    this.sessionId = sessionId;
    this.contentLimit = contentLimit;
  }

  long bytes() {
    return bytes.get();
  }

  int queries() {
    return queries.get();
  }

  Facts facts(PushdownSql sql) {
    List<Facts> out = new ArrayList<>();
    run(sql.factsSelect(), "checking session " + Endpoints.describeId(sessionId) + " for pushdown",
        in -> {
          long rows = in.int64();
          long bad = in.int64();
          long ids = in.int64();
          long distinct = in.int64();
          long timeCount = in.int64();
          int n = in.arrayLength();
          List<Double> times = new ArrayList<>(n);
          for (int i = 0; i < n; i++) {
            times.add(in.float64());
          }
          out.add(new Facts(rows, bad, ids, distinct, timeCount, times));
        });
    return out.isEmpty() ? new Facts(0, 0, 0, 0, 0, List.of()) : out.get(0);
  }

  /** The hashes of repeated message ids ({@link PushdownSql#duplicatesSelect}). */
  List<Long> duplicates(PushdownSql sql) {
    List<Long> out = new ArrayList<>();
    run(sql.duplicatesSelect(), "finding repeated message ids of session " + Endpoints.describeId(sessionId),
        in -> out.addAll(int64s(in)));
    return out;
  }

  /** An {@code Array(UInt64)} or {@code Array(Int64)} value. */
  private static List<Long> int64s(RowBinaryInput in) throws IOException {
    int n = in.arrayLength();
    List<Long> values = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      values.add(in.int64());
    }
    return values;
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
      List<Long> ties = int64s(in);
      List<Long> streamed = int64s(in);
      out.add(new Verified(place, traces, picos, tin, tout, amount, costUpdates, first, last, failures, ties, streamed));
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
    QueryResponse response = q.send(sql, params.values(), settingsFor(sql), what);
    queries.incrementAndGet();
    QueryRunner.Flight flight = q.flightOf(response);
    DecodedRows decoded = null;
    try {
      decoded = new DecodedRows(q, response, new RowDecoder(sessionId, contentLimit), what, flight);
      while (decoded.next()) {
        decoded.delivered++;
        rows.accept(decoded.decoder.row(), decoded.problem);
      }
      q.checkCompleted(what, decoded.delivered, flight);
    } finally {
      if (decoded != null) {
        bytes.addAndGet(decoded.in.position());
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

  /**
   * The query's settings: a query longer than the server's {@code max_query_size} (set literals of
   * streamed traces and repeated ids) raises it for that query, when the user may change settings;
   * when not, the session streams.
   */
  private synchronized QuerySettings settingsFor(String sql) {
    QuerySettings settings = q.settings(c.compress());
    long size = sql.getBytes(StandardCharsets.UTF_8).length;
    if (size < SMALL_QUERY) {
      return settings;
    }
    if (maxQuerySize < 0) {
      run("SELECT toUInt64OrZero(anyIf(value, name = 'max_query_size')), toString(anyIf(value, name = 'readonly'))"
          + " FROM system.settings WHERE name IN ('max_query_size', 'readonly')", "reading the user's max_query_size",
          in -> {
            maxQuerySize = in.int64();
            mayChangeSettings = !in.string(-1).equals("1");
          });
    }
    if (size < maxQuerySize) {
      return settings;
    }
    if (!mayChangeSettings) {
      throw new Pushdown.Declined("its queries (" + size + " bytes) outgrow max_query_size (" + maxQuerySize
          + ") and the user may not change settings (readonly=1)");
    }
    settings.serverSetting("max_query_size", Long.toString(size + 4096));
    return settings;
  }

  private void run(String sql, String what, LineReader lines) {
    String text = sql + "\nFORMAT RowBinary";
    QueryResponse response = q.send(text, params.values(), settingsFor(text), what);
    queries.incrementAndGet();
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
        bytes.addAndGet(in.position());
      }
      q.finish(response);
    }
  }
}
