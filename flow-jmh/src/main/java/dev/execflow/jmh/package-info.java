/**
 * JMH benchmarks of the fold, the naive baseline, JSONL, snapshots, merges and ClickHouse, and the
 * {@code Report} that turns their JSON results into the tables of BENCHMARKS.md.
 *
 * <pre>{@code
 * java -jar flow-jmh/target/benchmarks.jar '\.FoldBenchmark\.' -p rows=1000000 -prof gc
 * }</pre>
 */
package dev.execflow.jmh;
