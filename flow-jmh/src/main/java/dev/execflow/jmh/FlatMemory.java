package dev.execflow.jmh;

import dev.execflow.assemble.ExecutionAssembler;
import dev.execflow.testing.SessionGenerator;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.util.Locale;

/**
 * The flat-memory proof, meant for a small heap ({@code java -Xmx64m}): folds generated sessions
 * of each given size straight from the {@link SessionGenerator} (nothing kept but the fold),
 * checks each fold against the generator's totals, and prints the time and the heap the folded
 * assembler retains (heap used after a full GC while it is still reachable), which must not grow
 * with the number of rows.
 *
 * <pre>{@code
 * java -Xmx64m -cp flow-jmh/target/benchmarks.jar dev.execflow.jmh.FlatMemory 10000 1000000 10000000
 * }</pre>
 */
public final class FlatMemory {
  private FlatMemory() {}

  public static void main(String[] args) {
    long[] sizes = args.length == 0 ? new long[] {10_000, 1_000_000, 10_000_000} : new long[args.length];
    for (int i = 0; i < args.length; i++) {
      sizes[i] = Long.parseLong(args[i].replace("_", ""));
    }
    Runtime rt = Runtime.getRuntime();
    System.out.printf(Locale.ROOT, "max heap %.1f MB, %s %s%n", rt.maxMemory() / 1048576.0,
        System.getProperty("java.vm.name"), System.getProperty("java.version"));
    SessionGenerator generator = new SessionGenerator(42);
    long baseline = usedAfterGc();
    System.out.printf(Locale.ROOT, "heap in use after GC before any fold: %.2f MB%n", baseline / 1048576.0);
    System.out.println("| rows | fold from generator (s) | rows/s | heap in use after GC, fold live | of which the fold | phases | visits | checked |");
    System.out.println("|---:|---:|---:|---:|---:|---:|---:|---|");
    for (long rows : sizes) {
      ExecutionAssembler assembler = new ExecutionAssembler();
      long started = System.nanoTime();
      SessionGenerator.Expected expected = generator.generate(rows, assembler);
      double seconds = (System.nanoTime() - started) / 1e9;
      long retained = usedAfterGc();
      Checks.agrees(assembler, expected, rows + " streamed rows");
      Reference.reachabilityFence(assembler);
      System.out.printf(Locale.ROOT, "| %,d | %.2f | %,.0f | %.2f MB | %.2f MB | %d | %d | totals agree |%n", rows,
          seconds, rows / seconds, retained / 1048576.0, (retained - baseline) / 1048576.0,
          expected.distinctPhases(), expected.phaseVisits());
    }
    long collections = 0;
    long millis = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      collections += Math.max(0, gc.getCollectionCount());
      millis += Math.max(0, gc.getCollectionTime());
    }
    System.out.printf(Locale.ROOT, "GC: %d collections, %d ms in total (the System.gc() calls included)%n",
        collections, millis);
  }

  private static long usedAfterGc() {
    Runtime rt = Runtime.getRuntime();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      System.gc();
      used = Math.min(used, rt.totalMemory() - rt.freeMemory());
    }
    return used;
  }
}
