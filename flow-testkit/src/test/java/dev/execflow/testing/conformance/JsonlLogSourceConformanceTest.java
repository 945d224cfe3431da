package dev.execflow.testing.conformance;

import dev.execflow.source.jsonl.JsonlLogSource;
import dev.execflow.source.jsonl.JsonlWriter;
import dev.execflow.spi.LogRow;
import dev.execflow.spi.LogSource;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Nested;

/** The reference source runs the whole suite: each load writes one more file into a directory. */
class JsonlLogSourceConformanceTest {
  static final ConformanceBackend BACKEND = new ConformanceBackend() {
    private final Path dir = createDirectory();
    private int files;

    @Override
    public synchronized void load(List<? extends LogRow> rows) {
      Path file = dir.resolve(String.format("part-%05d.jsonl", files++));
      try (OutputStream out = Files.newOutputStream(file); JsonlWriter writer = new JsonlWriter(out)) {
        rows.forEach(writer::accept);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public LogSource openSource() {
      return JsonlLogSource.open(dir);
    }

    @Override
    public boolean deliversFullContent() {
      return true;
    }
  };

  private static Path createDirectory() {
    try {
      Path dir = Files.createTempDirectory("execflow-conformance-");
      dir.toFile().deleteOnExit();
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Nested
  class Read extends ReadConformance {
    @Override protected ConformanceBackend backend() {
      return BACKEND;
    }
  }

  @Nested
  class TimeRange extends TimeRangeConformance {
    @Override protected ConformanceBackend backend() {
      return BACKEND;
    }
  }

  @Nested
  class Listing extends ListingConformance {
    @Override protected ConformanceBackend backend() {
      return BACKEND;
    }
  }

  @Nested
  class Cancellation extends CancellationConformance {
    @Override protected ConformanceBackend backend() {
      return BACKEND;
    }
  }

  @Nested
  class HostileIds extends HostileIdConformance {
    @Override protected ConformanceBackend backend() {
      return BACKEND;
    }
  }

  @Nested
  class Follow extends FollowConformance {
    @Override protected ConformanceBackend backend() {
      return BACKEND;
    }
  }
}
