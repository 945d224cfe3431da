package dev.execflow.assemble;

import dev.execflow.model.Status;
import dev.execflow.spi.LogRow;
import dev.execflow.spi.SessionSummary;
import java.util.Set;

/**
 * What a session listing keeps per session, a few numbers, counted by the fold's own rules so that
 * a listed session's status and cost are the ones {@link ExecutionAssembler} gives it: rows are
 * classified by the {@link Vocabulary}; the latest terminal row decides the status; each call (a
 * {@code trace_id}) costs what its first priced row says, a session row or a row without a trace
 * is priced on its own; costs are summed as whole pico-dollars ({@link Pricing}).
 *
 * <pre>{@code
 * Map<String, SessionTally> bySession = ...;
 * bySession.computeIfAbsent(row.sessionId(), SessionTally::new).add(row, vocabulary, priced);
 * SessionSummary line = bySession.get("sess-42").summary();
 * }</pre>
 *
 * <p>Unlike the fold, the tally cannot tell cost that came before any phase started (the fold
 * reports it apart, as {@code unattributedCost}) and does not drop duplicate rows.
 */
public final class SessionTally {
  /** One call of one session, for the set of calls already priced. */
  public record PricedCall(String sessionId, String traceId) {}

  private final String sessionId;
  private String cascadeId;
  private double first = Double.NaN;
  private double last = Double.NaN;
  private double terminalAt = Double.NaN;
  private Status terminal;
  private long costPicos;
  private long rows;

  public SessionTally(String sessionId) {
    this.sessionId = sessionId;
  }

  /**
   * Counts one row of this session.
   *
   * @param priced the calls already priced (shared by all tallies of a listing; a bounded set is
   *     fine: a call's rows come close together)
   */
  public void add(LogRow row, Vocabulary vocabulary, Set<PricedCall> priced) {
    rows++;
    double ts = row.timestamp();
    if (!Double.isNaN(ts)) {
      first = Double.isNaN(first) ? ts : Math.min(first, ts);
      last = Double.isNaN(last) ? ts : Math.max(last, ts);
    }
    String cascade = row.cascadeId();
    if (cascadeId == null && cascade != null && !cascade.isEmpty()) {
      cascadeId = cascade;
    }
    RowKind kind = vocabulary.classify(row.nodeType(), row.role());
    if (kind == RowKind.SESSION_COMPLETED || kind == RowKind.SESSION_FAILED) {
      if (terminal == null || PhaseAccumulator.newer(ts, terminalAt)) {
        terminal = kind == RowKind.SESSION_COMPLETED ? Status.COMPLETED : Status.ERROR;
        terminalAt = Double.isNaN(ts) ? terminalAt : ts;
      }
    }
    long picos = Pricing.picos(row.cost());
    if (picos == Pricing.NONE) {
      return;
    }
    String call = row.traceId();
    if (call == null || kind.scope() == RowKind.Scope.SESSION || priced.add(new PricedCall(sessionId, call))) {
      costPicos = Pricing.add(costPicos, picos);
    }
  }

  public String sessionId() {
    return sessionId;
  }

  public String cascadeId() {
    return cascadeId;
  }

  /** Epoch seconds of the first row, NaN when no row had a timestamp. */
  public double firstTimestamp() {
    return first;
  }

  /** Rows of this session counted so far. */
  public long rows() {
    return rows;
  }

  public Status status() {
    return terminal == null ? Status.RUNNING : terminal;
  }

  public SessionSummary summary() {
    return new SessionSummary(sessionId, cascadeId, first, last, status(), Pricing.dollars(costPicos), rows);
  }
}
