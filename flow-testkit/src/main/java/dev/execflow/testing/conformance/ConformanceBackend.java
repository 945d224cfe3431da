package dev.execflow.testing.conformance;

import dev.execflow.spi.LogRow;
import dev.execflow.spi.LogSource;
import java.util.List;

/**
 * A store under test: the conformance families write their rows through it and read them back
 * through sources it opens. Rows of every test accumulate (each test uses session ids and cascade
 * ids of its own), so one store can serve a whole suite.
 *
 * <pre>{@code
 * class MyStoreBackend implements ConformanceBackend {
 *   public void load(List<? extends LogRow> rows) { store.insert(rows); }
 *   public LogSource openSource() { return new MyStoreLogSource(store); }
 * }
 * }</pre>
 */
public interface ConformanceBackend {
  /** Stores these rows; a source opened afterwards must see them. */
  void load(List<? extends LogRow> rows);

  /** A new source over every row loaded so far; the caller closes it. */
  LogSource openSource();

  /** Whether the store's sources implement {@link LogSource#listSessions}. */
  default boolean listsSessions() {
    return true;
  }

  /**
   * Whether a source delivers a row's full content; a source may cut it or leave it out for rows
   * the fold does not read it from, and rows are then compared without it.
   */
  default boolean deliversFullContent() {
    return false;
  }
}
