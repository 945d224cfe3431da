package dev.execflow.source.clickhouse.testing;

import dev.execflow.spi.LogRow;
import dev.execflow.spi.MutableLogRow;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * {@code n} plain LLM-call rows of one session, one every millisecond, through one reused row:
 * for tests that need a session too big to arrive in one network buffer.
 */
public final class SyntheticRows implements Iterator<LogRow> {
  private final MutableLogRow row = new MutableLogRow();
  private final String sessionId;
  private final long n;
  private long i;

  public SyntheticRows(String sessionId, long n) {
    this.sessionId = sessionId;
    this.n = n;
  }

  @Override
  public boolean hasNext() {
    return i < n;
  }

  @Override
  public LogRow next() {
    if (i >= n) {
      throw new NoSuchElementException();
    }
    row.clear().timestamp(1736071200 + i / 1000.0).sessionId(sessionId).traceId("trace-" + i)
        .nodeType("agent").role("assistant").phaseName("phase-" + (i / 10_000)).model("gpt-4o-mini")
        .cost(0.0001).tokensIn(100).tokensOut(20).metadataJson("{\"n\":" + i + "}");
    i++;
    return row;
  }
}
