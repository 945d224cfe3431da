package dev.execflow.source.clickhouse;

import dev.execflow.assemble.AssemblyOptions;
import dev.execflow.assemble.ExecutionAssembler;
import dev.execflow.model.ExecutionData;
import dev.execflow.spi.SessionQuery;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;

/**
 * Run in a JVM of its own with a small fixed heap by {@link MillionRowSessionTest}: streams one
 * session out of ClickHouse into the assembler several times and prints, one {@code key=value}
 * per line, the result's totals, each run's time and the heap's peak.
 *
 * <p>Arguments: url user password database table sessionId runs.
 */
public final class MillionRowReader {
  private MillionRowReader() {}

  public static void main(String[] args) {
    String url = args[0];
    String sessionId = args[5];
    int runs = Integer.parseInt(args[6]);
    try (ClickHouseLogSource source = ClickHouseLogSource.builder().endpoint(url)
        .credentials(args[1], args[2]).table(args[3], args[4]).build()) {
      source.connect();
      for (int run = 1; run <= runs; run++) {
        long started = System.nanoTime();
        ExecutionAssembler assembler = new ExecutionAssembler(AssemblyOptions.defaults());
        long read = source.read(SessionQuery.of(sessionId), assembler);
        ExecutionData data = assembler.snapshot();
        long millis = (System.nanoTime() - started) / 1_000_000;
        System.out.println("run" + run + ".millis=" + millis);
        if (run == runs) {
          System.out.println("rows=" + read);
          System.out.println("folded=" + assembler.rows());
          System.out.println("totalCost=" + data.summary().totalCost());
          System.out.println("totalDuration=" + data.summary().totalDuration());
          System.out.println("phaseCount=" + data.summary().phaseCount());
          System.out.println("status=" + data.summary().status().json());
          System.out.println("visits=" + data.executedPath().size());
          System.out.println("compressed=" + source.compressed());
        }
      }
    }
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    System.out.println("maxHeap=" + Runtime.getRuntime().maxMemory());
    System.gc();
    System.out.println("usedAfterGc=" + (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()));
    // each pool's own peak, summed: an upper bound on the heap in use at any one time
    System.out.println("peakHeapUsed=" + peak);
  }
}
