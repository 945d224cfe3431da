package dev.execflow.spi;

import java.time.Duration;

/**
 * One session's rows as they become visible, for following a running session: each {@link #poll}
 * delivers the rows that appeared since the previous one, each row exactly once, and the cost of a
 * poll grows with the new rows (and the look-back window), not with the session. Obtained from
 * {@link LogSource#tail}; not thread-safe (one poller at a time).
 *
 * <pre>{@code
 * try (SessionTail tail = source.tail("sess-42", SessionCursor.START, SessionTail.DEFAULT_LOOK_BACK)) {
 *   ExecutionAssembler assembler = new ExecutionAssembler();
 *   while (running) {
 *     tail.poll(TailSink.of(assembler));
 *     show(assembler.snapshot());
 *     Thread.sleep(1000);
 *   }
 * }
 * }</pre>
 *
 * <h2>The guarantee</h2>
 *
 * <p>Rows can become visible late: ClickHouse async inserts and replicas, a writer that buffers,
 * rows of equal timestamps split across two inserts. A tail that reads by {@link SessionCursor}
 * therefore re-reads a <em>look-back window</em> of {@code W} seconds (of row time) behind its
 * cursor and drops what it already delivered (by row key, counting exact copies). A row is
 * delivered exactly once if it becomes visible before the tail has delivered a row more than
 * {@code W} newer than it; rows of the same timestamp as the cursor are always within the window.
 * A row later than that is not seen by this tail (a fresh read of the session does see it). Sources
 * that see every appended row in order (a JSONL file, read by byte offset) need no window and
 * deliver any late row, however old; {@link #deliversLateRows()} says which kind a tail is.
 */
public interface SessionTail extends AutoCloseable {
  /** The default look-back window: longer than ClickHouse's async insert flush and a replica's lag. */
  Duration DEFAULT_LOOK_BACK = Duration.ofSeconds(5);

  /**
   * Delivers the rows that became visible since the last poll (the first poll: all rows after the
   * tail's starting cursor), in timestamp order within the poll, and the source's warnings about
   * them. Returns the number of rows delivered (0: nothing new).
   *
   * @throws LogSourceException when the store fails; the tail stays usable and the next poll
   *     delivers what this one could not, without repeating what it did
   */
  long poll(TailSink sink);

  /** The greatest (timestamp, row key) delivered so far, or the starting cursor. */
  SessionCursor cursor();

  /**
   * Whether a poll may deliver a row that sorts before a row an earlier poll delivered (a row that
   * became visible late). A follower that wants the exact fold keeps such rows' neighbourhood
   * open; a tail that answers false delivers rows in the order a full read would.
   */
  boolean deliversLateRows();

  /** Releases what the tail holds; does not close the source. */
  @Override
  default void close() {}
}
