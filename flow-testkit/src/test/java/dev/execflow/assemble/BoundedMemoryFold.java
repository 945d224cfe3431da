package dev.execflow.assemble;

import dev.execflow.model.ExecutionData;
import dev.execflow.testing.SessionGenerator;

/**
 * Run in a JVM with a small fixed heap by {@link BoundedMemoryTest}: folds a generated session
 * streamed row by row (nothing materialized) and prints what the test checks, one value a line.
 */
public final class BoundedMemoryFold {
  private BoundedMemoryFold() {}

  public static void main(String[] args) {
    long rows = Long.parseLong(args[0]);
    ExecutionAssembler assembler = new ExecutionAssembler();
    long start = System.nanoTime();
    SessionGenerator.Expected expected = new SessionGenerator(7).generate(rows, assembler);
    long foldNanos = System.nanoTime() - start;
    ExecutionData data = assembler.snapshot();
    Runtime rt = Runtime.getRuntime();
    System.gc();
    System.out.println("rows=" + data.summary().rowCount());
    System.out.println("expectedRows=" + expected.rows());
    System.out.println("totalCostMicros=" + Math.round(data.summary().totalCost() * 1e6));
    System.out.println("expectedCostMicros=" + expected.costMicros());
    System.out.println("phaseCount=" + data.summary().phaseCount());
    System.out.println("expectedPhaseCount=" + expected.distinctPhases());
    System.out.println("pathLength=" + data.executedPath().size());
    System.out.println("expectedPathLength=" + expected.phaseVisits());
    System.out.println("status=" + data.summary().status());
    System.out.println("expectedStatus=" + expected.status());
    System.out.println("warnings=" + data.warnings().count() + " " + data.warnings().byKind());
    System.out.println("maxHeapMb=" + rt.maxMemory() / (1024 * 1024));
    System.out.println("usedHeapAfterMb=" + (rt.totalMemory() - rt.freeMemory()) / (1024 * 1024));
    System.out.println("rowsPerSecond=" + Math.round(rows / (foldNanos / 1e9)));
  }
}
