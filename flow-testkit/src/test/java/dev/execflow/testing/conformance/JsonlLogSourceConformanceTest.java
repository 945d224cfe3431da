package dev.execflow.testing.conformance;

import dev.execflow.testing.Samples;
import dev.execflow.spi.LogSource;
import org.junit.jupiter.api.AfterAll;

/** The reference source passes its own conformance suite (so the suite itself is exercised). */
class JsonlLogSourceConformanceTest extends LogSourceConformanceTest {
  @Override
  protected LogSource sourceWithSamples() {
    return Samples.source();
  }

  @Override
  protected boolean deliversFullContent() {
    return true;
  }

  @AfterAll
  void close() {
    closeSource();
  }
}
