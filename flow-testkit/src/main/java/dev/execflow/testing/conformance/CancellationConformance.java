package dev.execflow.testing.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.execflow.spi.LogSource;
import dev.execflow.spi.LogSourceException;
import dev.execflow.spi.SessionQuery;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Closing a source stops what it is doing: a long read ends early with a clear reason. */
public abstract class CancellationConformance extends ConformanceFamily {
  private static final int ROWS = 40_000;

  @Test
  protected void closingTheSourceStopsAReadInProgress() {
    String sessionId = uniqueId("cancel");
    loadGenerated(41, ROWS, sessionId, "generated_cascade");
    LogSource source = source();
    AtomicLong delivered = new AtomicLong();

    LogSourceException e = catchThrowableOfType(LogSourceException.class,
        () -> source.read(SessionQuery.of(sessionId), row -> {
          if (delivered.incrementAndGet() == 100) {
            source.close();
          }
        }));

    assertThat(e).as("a read closed after 100 of %s rows", ROWS).isNotNull();
    assertThat(e.reason()).isEqualTo(LogSourceException.Reason.INTERRUPTED);
    assertThat(delivered.get()).isLessThan(ROWS);
  }

  @Test
  protected void aClosedSourceRefusesToRead() {
    String sessionId = uniqueId("cancel-closed");
    loadSample("simple", sessionId, null);
    LogSource source = source();
    source.close();

    assertThat(catchThrowableOfType(LogSourceException.class,
        () -> source.read(SessionQuery.of(sessionId), row -> {}))).isNotNull();
  }
}
