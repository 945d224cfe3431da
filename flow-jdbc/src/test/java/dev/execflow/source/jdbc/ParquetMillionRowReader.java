package dev.execflow.source.jdbc;

import dev.execflow.assemble.AssemblyOptions;
import dev.execflow.assemble.ExecutionAssembler;
import dev.execflow.model.ExecutionData;
import dev.execflow.spi.SessionQuery;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;

/**
 * Run in a JVM of its own with a small fixed heap by {@link ParquetMillionRowTest}: streams one
 * session out of a Parquet file (DuckDB in this process) into the assembler and prints, one
 * {@code key=value} per line, the result's totals and the heap's peak.
 *
 * <p>Arguments: parquet file, session id.
 */
public final class ParquetMillionRowReader {
  private ParquetMillionRowReader() {}

  public static void main(String[] args) {
    try (JdbcLogSource source = JdbcLogSource.parquet(Path.of(args[0]))) {
      long started = System.nanoTime();
      ExecutionAssembler assembler = new ExecutionAssembler(AssemblyOptions.defaults());
      long read = source.read(SessionQuery.of(args[1]), assembler);
      ExecutionData data = assembler.snapshot();
      System.out.println("millis=" + (System.nanoTime() - started) / 1_000_000);
      System.out.println("rows=" + read);
      System.out.println("totalCost=" + data.summary().totalCost());
      System.out.println("totalDuration=" + data.summary().totalDuration());
      System.out.println("phaseCount=" + data.summary().phaseCount());
      System.out.println("visits=" + data.executedPath().size());
      System.out.println("status=" + data.summary().status().json());
      System.out.println("warnings=" + data.warnings().count());
    }
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    System.out.println("maxHeap=" + Runtime.getRuntime().maxMemory());
    System.out.println("peakHeapUsed=" + peak);
  }
}
