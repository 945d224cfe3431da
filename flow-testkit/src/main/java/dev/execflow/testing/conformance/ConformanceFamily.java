package dev.execflow.testing.conformance;

import dev.execflow.assemble.AssemblyOptions;
import dev.execflow.assemble.ExecutionAssembler;
import dev.execflow.model.ExecutionData;
import dev.execflow.spi.LogRow;
import dev.execflow.spi.LogSource;
import dev.execflow.spi.MutableLogRow;
import dev.execflow.spi.SessionQuery;
import dev.execflow.testing.Samples;
import dev.execflow.testing.SessionGenerator;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;

/**
 * What the conformance families share: the backend hook, rows written under ids of their own, and
 * sources closed after each test. A backend runs each family through a {@code @Nested} subclass,
 * as Zipkin's storage tests are run:
 *
 * <pre>{@code
 * class MyStoreConformanceTest {
 *   static final ConformanceBackend BACKEND = new MyStoreBackend();
 *
 *   @Nested class Read extends ReadConformance {
 *     @Override protected ConformanceBackend backend() { return BACKEND; }
 *   }
 *   @Nested class Listing extends ListingConformance {
 *     @Override protected ConformanceBackend backend() { return BACKEND; }
 *
 *     @Override @Test @Disabled("the store cannot filter by cascade")
 *     protected void filtersByCascadeAndStatus() {}
 *   }
 * }
 * }</pre>
 *
 * <p>Every test method is {@code protected}: override it (with {@code @Test}) to change it, or add
 * {@code @Disabled} to skip it, with a reason. Expected values come from the samples' hand-worked
 * files, the session generator's totals and the fold of the very rows loaded, never from another
 * source.
 */
public abstract class ConformanceFamily {
  /** The defaults: deterministic (a running phase lasts until the session's last row). */
  protected static final AssemblyOptions OPTIONS = AssemblyOptions.defaults();

  private static final AtomicLong IDS = new AtomicLong();
  private final List<LogSource> opened = new ArrayList<>();

  /** The store under test. */
  protected abstract ConformanceBackend backend();

  /** An id no other test uses: {@code <label>-<n>-<nanos>}. */
  protected static String uniqueId(String label) {
    return label + "-" + IDS.incrementAndGet() + "-" + Long.toHexString(System.nanoTime());
  }

  /** A source over the backend's rows, closed after the test. */
  protected LogSource source() {
    LogSource source = backend().openSource();
    opened.add(source);
    return source;
  }

  @AfterEach
  void closeSources() {
    opened.forEach(LogSource::close);
    opened.clear();
  }

  /**
   * Loads sample {@code name}'s rows under {@code sessionId} (and, when not null, {@code
   * cascadeId} on the rows that name a cascade) and returns the rows loaded.
   */
  protected List<LogRow> loadSample(String name, String sessionId, String cascadeId) {
    List<LogRow> rows = new ArrayList<>();
    try (LogSource sample = Samples.source(name)) {
      sample.read(SessionQuery.of(Samples.sessionId(name)), row -> {
        MutableLogRow copy = new MutableLogRow().copyFrom(row).sessionId(sessionId);
        if (cascadeId != null && row.cascadeId() != null) {
          copy.cascadeId(cascadeId);
        }
        rows.add(copy);
      });
    }
    backend().load(rows);
    return rows;
  }

  /** Loads a generated session of {@code rows} rows and returns the generator's totals for it. */
  protected SessionGenerator.Expected loadGenerated(long seed, int rows, String sessionId, String cascadeId) {
    SessionGenerator generator = new SessionGenerator(seed).withSessionId(sessionId).withCascadeId(cascadeId);
    backend().load(generator.materialize(rows));
    return generator.expected(rows);
  }

  /** The fold of {@code sessionId} as the backend's source delivers it. */
  protected ExecutionData fold(String sessionId) {
    return ExecutionAssembler.assemble(source(), SessionQuery.of(sessionId), OPTIONS);
  }

  /** The fold of {@code rows} themselves, in their order: what any source must give for them. */
  protected static ExecutionData foldOf(List<? extends LogRow> rows) {
    ExecutionAssembler assembler = new ExecutionAssembler(OPTIONS);
    rows.forEach(assembler::accept);
    return assembler.snapshot();
  }
}
