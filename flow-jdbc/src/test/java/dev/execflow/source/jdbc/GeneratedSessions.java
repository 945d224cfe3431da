package dev.execflow.source.jdbc;

import dev.execflow.assemble.AssemblyOptions;
import dev.execflow.assemble.ExecutionAssembler;
import dev.execflow.model.ExecutionData;
import dev.execflow.model.Status;
import dev.execflow.source.jsonl.JsonlLogSource;
import dev.execflow.spi.LogRow;
import dev.execflow.spi.LogSource;
import dev.execflow.spi.SessionQuery;
import dev.execflow.testing.SessionGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Two generated sessions (a long completed one and a failed one), as rows and as the JSONL file
 * the reference fold reads them from.
 */
final class GeneratedSessions {
  static final AssemblyOptions OPTIONS = AssemblyOptions.defaults()
      .withClock(Clock.fixed(Instant.parse("2025-01-06T00:00:00Z"), ZoneOffset.UTC));

  static final List<SessionGenerator> GENERATORS = List.of(
      new SessionGenerator(7).withSessionId("gen-long"),
      new SessionGenerator(8).withSessionId("gen-failed").withOutcome(Status.ERROR)
          .withStart(SessionGenerator.DEFAULT_START + 86_400));
  static final int[] ROWS = {30_000, 3_000};

  private GeneratedSessions() {}

  static List<String> ids() {
    return List.of("gen-long", "gen-failed");
  }

  static List<LogRow> rows() {
    List<LogRow> rows = new ArrayList<>();
    for (int i = 0; i < GENERATORS.size(); i++) {
      rows.addAll(GENERATORS.get(i).materialize(ROWS[i]));
    }
    return rows;
  }

  /** Writes both sessions to {@code file} as JSONL. */
  static Path jsonl(Path file) {
    try (OutputStream out = Files.newOutputStream(file)) {
      for (int i = 0; i < GENERATORS.size(); i++) {
        GENERATORS.get(i).writeJsonl(out, ROWS[i]);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  static ExecutionData fold(LogSource source, String sessionId) {
    return ExecutionAssembler.assemble(source, SessionQuery.of(sessionId), OPTIONS);
  }

  static JsonlLogSource reference(Path jsonl) {
    return JsonlLogSource.open(jsonl);
  }
}
