package dev.execflow.source.clickhouse;

/**
 * How one session was folded by {@link ClickHouseLogSource#fold}: for diagnostics, tests and
 * benchmarks.
 *
 * @param strategy what was done: {@link Strategy#STREAM} or {@link Strategy#PUSHDOWN}
 * @param rows rows of the session folded (as {@code LogSource.read} counts them)
 * @param summedRows rows the server summed up (0 when streamed)
 * @param streamedRows rows that crossed the wire one by one
 * @param wireBytes bytes of the responses read
 * @param queries queries sent
 * @param ranges time ranges the session was read in, concurrently (1: one read)
 * @param declined why pushdown was asked for but the session streamed, or why parallel ranges were
 *     read again in one, else null
 */
public record FoldReport(Strategy strategy, long rows, long summedRows, long streamedRows, long wireBytes,
    int queries, int ranges, String declined) {}
