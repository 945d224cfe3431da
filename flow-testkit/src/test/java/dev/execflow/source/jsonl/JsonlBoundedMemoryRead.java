package dev.execflow.source.jsonl;

import dev.execflow.assemble.ExecutionAssembler;
import dev.execflow.model.ExecutionData;
import dev.execflow.spi.SessionListQuery;
import dev.execflow.spi.SessionPage;
import dev.execflow.spi.SessionQuery;
import java.nio.file.Path;

/**
 * Run in a JVM with a small fixed heap by {@link JsonlBoundedMemoryTest}: reads one session of a
 * JSONL file into the fold and lists the file's sessions, and prints what the test checks.
 */
public final class JsonlBoundedMemoryRead {
  private JsonlBoundedMemoryRead() {}

  public static void main(String[] args) {
    JsonlLogSource source = JsonlLogSource.open(Path.of(args[0]));
    ExecutionAssembler assembler = new ExecutionAssembler();
    long rows = source.read(SessionQuery.of(args[1]), assembler);
    ExecutionData data = assembler.snapshot();
    SessionPage page = source.listSessions(SessionListQuery.firstPage(10));
    System.out.println("rows=" + rows);
    System.out.println("phaseCount=" + data.summary().phaseCount());
    System.out.println("warnings=" + data.warnings().count() + " " + data.warnings().byKind());
    System.out.println("listed=" + page.sessions().size());
    System.out.println("maxHeapMb=" + Runtime.getRuntime().maxMemory() / (1024 * 1024));
  }
}
