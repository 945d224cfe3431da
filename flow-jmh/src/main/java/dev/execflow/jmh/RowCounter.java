package dev.execflow.jmh;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Rows handled, reported by JMH next to the primary score as a rate ({@code rows} in rows/s, with
 * its own error bars): one benchmark operation folds a whole session, so ops/s alone hides the
 * session's size.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class RowCounter {
  public long rows;

  @Setup(Level.Iteration)
  public void reset() {
    rows = 0;
  }
}
