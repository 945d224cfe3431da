package dev.execflow.source.clickhouse;

import dev.execflow.assemble.AssemblyOptions;
import dev.execflow.assemble.ExecutionAssembler;
import dev.execflow.assemble.PartialFold;
import dev.execflow.source.clickhouse.internal.Parameters;
import dev.execflow.spi.LogSourceException;
import dev.execflow.spi.LogSourceException.Reason;
import dev.execflow.source.clickhouse.internal.PhaseBoundaries;
import dev.execflow.source.clickhouse.internal.PushdownSql;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The pushdown strategy: ClickHouse sums up what the rows of the fold's hot path (calls, turns,
 * conversation rows, cost updates) add to their phase, and streams the rest, which the fold reads
 * as always; the sums go in through {@link PartialFold}. The result equals the streamed fold:
 *
 * <ol>
 *   <li>the start rows are read first and the fold's own reading of them gives the phase running
 *       at any time (a phase-less row lies there, the server assumes);
 *   <li>one query checks, per trace, that this holds: every phase-less row's parent came before it
 *       and lies in (or places it in) that phase, and the trace's place never changes; it sums each
 *       call's cost once (its first priced row) and the cost updates; one failing trace and the
 *       session streams ({@link FoldReport#declined});
 *   <li>one query sums the rows per place (rows, first and last time, turns, models), noting where
 *       each phase is first named, so that the fold meets phases in the streamed order;
 *   <li>the rows the fold must read (structure rows, values it warns about, rows at a time a
 *       structure row has, whole traces of those) stream in canonical order; the summed traces
 *       they name as parents are registered with the fold where they first appear.
 * </ol>
 *
 * A trace is summed whole or streamed whole, so no call is priced twice. What cannot be decided
 * exactly (a row the decoder reports, too many phase starts at one time, a
 * bound of the fold reached) streams the session.
 */
final class Pushdown {
  /** Most phase starts a session may have: their times go into the SQL as literals. */
  static final int MAX_STARTS = 2_000;
  /** Most values of a set the later queries carry as a literal (~4 MB of SQL). */
  static final int MAX_SET = PushdownSql.MAX_LITERAL_SET;

  /** Runs a query beside the one the reading thread runs (daemon threads, gone when idle for a minute). */
  private static final ExecutorService SIDE = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "execflow-clickhouse-pushdown");
    t.setDaemon(true);
    return t;
  });

  private final QueryRunner q;
  private final TableConnection c;
  private final String sessionId;
  private final AssemblyOptions options;
  private final PushdownQueries queries;
  private final String session;
  private final Parameters params;

  /** Thrown when the session cannot be pushed down exactly; it is then streamed. */
  static final class Declined extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Declined(String reason) {
      super(reason, null, false, false);
    }
  }

  /** A pushed-down fold: the assembler and what it took. */
  record Outcome(ExecutionAssembler fold, long rows, long summedRows, long streamedRows, long bytes, int queries) {}

  Pushdown(QueryRunner q, TableConnection c, String sessionId, AssemblyOptions options, int contentLimit) {
    this.q = q;
    this.c = c;
    this.sessionId = sessionId;
    this.options = options;
    this.params = new Parameters(c.bind());
    this.session = c.plan().sessionCondition(params, sessionId);
    this.queries = new PushdownQueries(q, c, params, sessionId, contentLimit);
  }

  long bytes() {
    return queries.bytes();
  }

  int queryCount() {
    return queries.queries();
  }

  /** The session's row count (for {@link Strategy#AUTO}). */
  long rowCount() {
    return queries.count(PushdownSql.countSelect(c.plan(), session));
  }

  /** @throws Declined when the session must stream */
  Outcome run() {
    PushdownSql probe = new PushdownSql(c.plan(), session, PhaseBoundaries.of(List.of(), List.of(), List.of()));
    // the phase starts need nothing the facts say: both read the session at once
    Future<PhaseBoundaries> starting = SIDE.submit(() -> boundaries(probe));
    PushdownSql sql;
    PushdownQueries.Facts facts;
    try {
      facts = queries.facts(probe);
      if (facts.badRows() > 0) {
        throw new Declined(facts.badRows() + " rows hold values the decoder reports (their warnings name their place in"
            + " the whole session)");
      }
      sql = probe.withRunning(await(starting, "reading the phase starts"));
    } finally {
      starting.cancel(true); // done, or no longer wanted (this thread failed or was interrupted)
    }
    List<Double> times = facts.structureTimes();
    // 18.16 reads back every finite normal double written by Double.toString exactly (checked bit for
    // bit on 20,000 values) but refuses subnormal literals: else each query finds them in a subquery
    if (facts.structureTimeCount() == times.size()
        && times.stream().allMatch(t -> t == 0 || (Double.isFinite(t) && Math.abs(t) >= Double.MIN_NORMAL))) {
      sql = sql.withStructureTimes(times);
    }
    if (facts.distinctMessageIds() < facts.messageIds()) {
      List<Long> repeated = queries.duplicates(sql);
      if (repeated.size() > MAX_SET) {
        throw new Declined("more than " + MAX_SET + " message ids repeat");
      }
      sql = sql.withDuplicates(repeated);
    }
    Map<Long, String> names = new HashMap<>();
    for (String[] label : queries.labels(sql)) {
      names.put(Long.parseUnsignedLong(label[1]), label[0]);
      names.put(Long.parseUnsignedLong(label[2]), label[0]);
    }
    List<PushdownQueries.Verified> verified = queries.verify(sql);
    List<Long> ties = new ArrayList<>();
    List<Long> streamedTraces = new ArrayList<>();
    double amount = 0;
    for (PushdownQueries.Verified v : verified) {
      if (v.failures() > 0) {
        throw new Declined(v.failures() + " traces cannot be placed exactly server-side (a row before its parent,"
            + " a parent in another phase, a trace moving between phases)");
      }
      ties.addAll(v.ties());
      streamedTraces.addAll(v.streamed());
      amount += v.amount();
    }
    if (ties.size() > 1000) {
      throw new Declined("more than 1,000 traces have rows at equal times");
    }
    streamedTraces.addAll(ties);
    if (streamedTraces.size() > MAX_SET) {
      throw new Declined("more than " + MAX_SET + " traces stream");
    }
    PushdownSql known = sql.withStreamedTraces(streamedTraces);
    // aggregate and anchors need only what verify found: the server runs them side by side (each
    // alone keeps a core of the two idle most of the time: its GROUP BY merges in one thread)
    Future<List<PushdownQueries.Anchor>> anchoring = SIDE.submit(() -> queries.anchors(known));
    PushdownFold fold;
    try {
      List<PushdownQueries.Aggregated> aggregated = queries.aggregate(known);
      for (PushdownQueries.Aggregated a : aggregated) {
        amount += a.amount();
        if (a.kind() == PushdownSql.PLACE && rank(a.place()) == 3) {
          names.put(a.place(), a.name());
        }
      }
      if (amount > 4e18) {
        throw new Declined("costs and tokens too large to sum exactly");
      }
      fold = new PushdownFold(new ExecutionAssembler(options), names, sessionId);
      fold.plan(aggregated, verified, await(anchoring, "reading the parents of streamed rows"));
    } finally {
      anchoring.cancel(true); // done, or no longer wanted (this thread failed or was interrupted)
    }
    queries.stream(known.streamSelect(params, sessionId), "streaming the rows of session " + Endpoints.describeId(sessionId)
        + " the fold reads itself", fold::stream);
    fold.finish();
    return new Outcome(fold.assembler(), fold.summedRows() + fold.streamedRows(), fold.summedRows(),
        fold.streamedRows(), queries.bytes(), queries.queries());
  }

  /** The answer of a query run beside this thread ({@code what} it did); its failure is this thread's failure. */
  private <T> T await(Future<T> side, String what) {
    try {
      return side.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LogSourceException(Reason.INTERRUPTED, "cancelled while " + what + " of session "
          + Endpoints.describeId(sessionId) + ": the reading thread was interrupted", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r; // a LogSourceException or Declined, as if this thread had run the query
      }
      throw new LogSourceException(Reason.INTERRUPTED, what + " of session " + Endpoints.describeId(sessionId)
          + " failed: " + e.getCause(), e.getCause());
    }
  }

  /** The running phase at any time, from the fold's own reading of the start rows. */
  private PhaseBoundaries boundaries(PushdownSql probe) {
    List<Double> times = new ArrayList<>();
    List<String> phases = new ArrayList<>();
    List<Boolean> byContent = new ArrayList<>();
    List<Double> unnamedTimes = new ArrayList<>();
    queries.stream(probe.startSelect(params, sessionId), "reading the phase starts of session " + Endpoints.describeId(sessionId),
        (row, problem) -> {
          double ts = row.timestamp();
          if (problem != null || Double.isNaN(ts)) {
            return;
          }
          String phase = PartialFold.phaseStartedBy(row);
          if (phase == null) {
            unnamedTimes.add(ts);
            return;
          }
          times.add(ts);
          phases.add(phase);
          byContent.add(row.phaseName() == null || row.phaseName().isBlank());
        });
    for (int i = 0; i < times.size(); i++) {
      if (!byContent.get(i)) {
        continue;
      }
      double ts = times.get(i);
      if (unnamedTimes.contains(ts)) {
        throw new Declined("a phase start that names no phase shares its time with one named by its content");
      }
      for (int j = 0; j < times.size(); j++) {
        if (j != i && times.get(j) == ts && !phases.get(j).equals(phases.get(i))) {
          throw new Declined("phase starts of two phases share one time");
        }
      }
    }
    if (times.size() > MAX_STARTS) {
      throw new Declined("more than " + MAX_STARTS + " phase starts");
    }
    PhaseBoundaries running = PhaseBoundaries.of(times, phases, byContent);
    if (!running.usable()) {
      throw new Declined("too many phase starts close together to look the running phase up");
    }
    if (running.phases().size() >= options.maxPhases()) {
      throw new Declined("as many phases as the fold keeps");
    }
    return running;
  }

  /** The label rank of a place (see PushdownSql). */
  static int rank(long place) {
    return (int) (place >>> 62);
  }
}
