package dev.execflow.source.clickhouse;

import dev.execflow.assemble.ExecutionAssembler;
import dev.execflow.source.clickhouse.internal.Parameters;
import dev.execflow.source.clickhouse.internal.PushdownSql;
import dev.execflow.source.clickhouse.internal.RowBinaryInput;
import dev.execflow.spi.LogSourceException;
import dev.execflow.spi.LogSourceException.Reason;
import dev.execflow.spi.SessionQuery;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A whole session streamed as K contiguous time ranges read concurrently, each folded by an
 * assembler of its own, merged in time order: {@code merge(fold(A), fold(B)) == fold(A ++ B)} holds
 * for a split between two distinct timestamps, which a half-open range always is. The cuts are the
 * session's time quantiles (approximate: any cut is exact, quantiles only balance the ranges). At
 * most K queries run at once; interrupting the caller cancels them all (each query is killed).
 * A session with rows that have no timestamp is read in one (such a row belongs to every range), and
 * so is, again, a session of which a range after the first forgot calls the ranges before it know
 * (the merge would not be exact: {@code ExecutionAssembler.mergesExactlyAfter}).
 */
final class ParallelRanges implements AutoCloseable {
  private final QueryRunner q;
  private final SessionReads reads;
  private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "execflow-clickhouse-range");
    t.setDaemon(true);
    return t;
  });

  ParallelRanges(QueryRunner q, SessionReads reads) {
    this.q = q;
    this.reads = reads;
  }

  /**
   * The read, its rows and bytes (of every query), how many ranges it took, and why it read the
   * session again in one (else null).
   */
  record Read(long rows, long bytes, int ranges, String again) {}

  /** Folds {@code sessionId} into {@code target} (an assembler that has folded nothing) in at most {@code k} ranges. */
  Read fold(TableConnection c, String sessionId, ExecutionAssembler target, int k) {
    List<Double> cuts = k > 1 ? cuts(c, sessionId, k) : List.of();
    if (cuts.isEmpty()) {
      long[] bytes = {0};
      long rows = reads.read(c, SessionQuery.of(sessionId), target, bytes);
      return new Read(rows, bytes[0], 1, null);
    }
    List<SessionQuery> ranges = new ArrayList<>();
    double from = Double.NaN;
    for (double cut : cuts) {
      ranges.add(new SessionQuery(sessionId, from, cut));
      from = cut;
    }
    ranges.add(new SessionQuery(sessionId, from, Double.NaN));
    List<ExecutionAssembler> parts = new ArrayList<>();
    List<Future<long[]>> reading = new ArrayList<>();
    for (SessionQuery range : ranges) {
      ExecutionAssembler part = new ExecutionAssembler(target.options());
      parts.add(part);
      reading.add(pool.submit(() -> {
        long[] bytes = {0};
        long rows = reads.read(c, range, part, bytes);
        return new long[] {rows, bytes[0]};
      }));
    }
    long rows = 0;
    long bytes = 0;
    try {
      for (Future<long[]> f : reading) {
        long[] done = f.get();
        rows += done[0];
        bytes += done[1];
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      reading.forEach(f -> f.cancel(true));
      throw new LogSourceException(Reason.INTERRUPTED, "cancelled while reading session "
          + Endpoints.describeId(sessionId) + " in " + ranges.size() + " ranges: the reading thread was interrupted", e);
    } catch (ExecutionException | CancellationException e) {
      reading.forEach(f -> f.cancel(true));
      Throwable cause = e.getCause() == null ? e : e.getCause();
      if (cause instanceof LogSourceException l) {
        throw l;
      }
      throw new LogSourceException(Reason.INTERRUPTED, "a range of session " + Endpoints.describeId(sessionId)
          + " failed: " + cause, cause);
    }
    ExecutionAssembler merged = new ExecutionAssembler(target.options());
    for (int i = 0; i < parts.size(); i++) {
      if (i > 0 && !parts.get(i).mergesExactlyAfter(merged)) {
        // the merge is exact only while no later range forgot a call the earlier ones know: read in one
        long[] again = {0};
        long one = reads.read(c, SessionQuery.of(sessionId), target, again);
        return new Read(one, bytes + again[0], 1, "range " + (i + 1) + " of " + parts.size()
            + " forgot calls from its trace index that the ranges before it know (a merge could count one twice):"
            + " read again in one");
      }
      merged.absorb(parts.get(i));
    }
    target.absorb(merged);
    return new Read(rows, bytes, ranges.size(), null);
  }

  /** K - 1 distinct cuts inside the session's time span, or none (too few rows, rows without a time). */
  private List<Double> cuts(TableConnection c, String sessionId, int k) {
    Parameters params = new Parameters(c.bind());
    String sql = PushdownSql.rangeSelect(c.plan(), c.plan().sessionCondition(params, sessionId), k) + "\nFORMAT RowBinary";
    String what = "planning the ranges of session " + Endpoints.describeId(sessionId);
    var response = q.start(sql, params.values(), c.compress(), what);
    QueryRunner.Flight flight = q.flightOf(response);
    List<Double> cuts = new ArrayList<>();
    try {
      RowBinaryInput in = new RowBinaryInput(response.getInputStream(), 1);
      long rows = in.int64();
      long untimed = in.int64();
      int n = in.arrayLength();
      for (int i = 0; i < n; i++) {
        double cut = in.float64();
        if (!Double.isNaN(cut) && (cuts.isEmpty() || cut > cuts.get(cuts.size() - 1))) {
          cuts.add(cut);
        }
      }
      q.checkCompleted(what, 1, flight);
      return untimed > 0 || rows < 2L * k ? List.of() : cuts;
    } catch (IOException | RuntimeException e) {
      throw e instanceof LogSourceException l ? l : q.broken(e, what, 0, flight);
    } finally {
      q.finish(response);
    }
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
