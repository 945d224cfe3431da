package dev.execflow.spi;

import dev.execflow.assemble.ExecutionAssembler;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * Where the rows of sessions come from: a file, ClickHouse, a test list. Implementations stream;
 * they never hold a session's rows in memory.
 *
 * <pre>{@code
 * try (LogSource source = JsonlLogSource.open(Path.of("logs.jsonl.gz"))) {
 *   ExecutionAssembler assembler = new ExecutionAssembler(AssemblyOptions.defaults());
 *   source.read(SessionQuery.of("sess-42"), assembler);
 *   ExecutionData data = assembler.snapshot();
 * }
 * }</pre>
 */
public interface LogSource extends AutoCloseable {
  /**
   * Streams the session's rows in timestamp order into {@code sink}. Returns normally only after
   * the last row; a failure part-way throws, so a partial read is never passed off as complete.
   *
   * <p>A read is cancelled by interrupting the thread that runs it (as {@code Future.cancel(true)}
   * does, or a server whose client went away): it then stops soon, releases what it holds (a
   * database source also stops its query on the server) and throws with reason {@link
   * LogSourceException.Reason#INTERRUPTED}.
   *
   * <p>A sink may end a read it needs no more of by throwing an unchecked exception (a page that
   * is full, say): the source releases what it holds and the exception reaches the caller as it
   * was thrown; the source stays usable.
   *
   * @return the number of rows delivered (0 when the session is unknown)
   * @throws LogSourceException when the store fails
   */
  long read(SessionQuery query, RowSink sink);

  /**
   * Folds the session of {@code query} into {@code target}: what a caller that wants the {@code
   * ExecutionData} (not the rows) calls, so that a store able to do part of the fold itself may.
   * The result in {@code target} is the same as {@code read(query, target)}'s; only where the work
   * happens may differ. The default streams the rows ({@code read(query, target)}); the ClickHouse
   * source folds a whole session into an assembler that has folded nothing yet with its configured
   * strategy (streamed, or largely summed up by the server), and streams every other read.
   *
   * <pre>{@code
   * ExecutionAssembler fold = new ExecutionAssembler(AssemblyOptions.defaults());
   * if (source.assemble(SessionQuery.of("sess-42"), fold) == 0) {
   *   // unknown session
   * }
   * ExecutionData data = fold.snapshot();
   * }</pre>
   *
   * @return the number of rows of the session folded (0 when the session is unknown), as {@link
   *     #read} counts them, whether or not they crossed the wire one by one
   * @throws LogSourceException when the store fails, as {@link #read} does
   */
  default long assemble(SessionQuery query, ExecutionAssembler target) {
    return read(query, target);
  }

  /**
   * Streams several sessions' rows at once, each session's in timestamp order into the sink {@code
   * sinks} gives for its id (sessions may interleave): how a service that follows many sessions
   * reads all their tails with one request. The default reads each query in turn; a store that can
   * do better overrides it (ClickHouse: one {@code session_id IN (...)} query). A failure part-way
   * throws, as {@link #read} does; what was delivered until then stands.
   *
   * <pre>{@code
   * source.readSessions(List.of(SessionQuery.of("a").from(t1), SessionQuery.of("b").from(t2)),
   *     id -> id.equals("a") ? foldA : foldB);
   * }</pre>
   *
   * @param queries at most one per session id
   * @return rows delivered, all sessions together
   */
  default long readSessions(List<SessionQuery> queries, Function<String, RowSink> sinks) {
    long n = 0;
    for (SessionQuery q : queries) {
      n += read(q, sinks.apply(q.sessionId()));
    }
    return n;
  }

  /**
   * Lists sessions for an instances grid, newest first.
   *
   * @throws LogSourceException with reason {@link LogSourceException.Reason#UNSUPPORTED} when the
   *     source cannot list
   */
  default SessionPage listSessions(SessionListQuery query) {
    throw new LogSourceException(LogSourceException.Reason.UNSUPPORTED,
        getClass().getSimpleName() + " cannot list sessions");
  }

  /**
   * Follows one session: a {@link SessionTail} whose polls deliver the rows that became visible
   * since the last poll, each once (see {@link SessionTail} for the guarantee and its window).
   * The default re-reads time ranges through {@link #read} ({@link CursorTail}); a source that can
   * do better (a file read by byte offset) overrides it.
   *
   * <pre>{@code
   * SessionTail tail = source.tail("sess-42", SessionCursor.START, SessionTail.DEFAULT_LOOK_BACK);
   * }</pre>
   *
   * @param after where to start: {@link SessionCursor#START}, or a cursor an earlier tail reported
   * @param lookBack how far (in row time) behind its cursor a poll re-reads for late rows
   */
  default SessionTail tail(String sessionId, SessionCursor after, Duration lookBack) {
    return new CursorTail(this, sessionId, after, lookBack);
  }

  /** Releases connections or files; cancels a read in progress. */
  @Override
  default void close() {}
}
