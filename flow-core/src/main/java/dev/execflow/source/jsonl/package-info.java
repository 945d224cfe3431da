/**
 * The JSON Lines source: {@link dev.execflow.source.jsonl.JsonlLogSource} reads ClickHouse's
 * {@code JSONEachRow} exports (plain or gzipped, a file or a directory), {@link
 * dev.execflow.source.jsonl.JsonlWriter} writes them.
 *
 * <pre>{@code
 * try (var source = JsonlLogSource.open(Path.of("unified_logs.jsonl.gz"))) {
 *   ExecutionData data = ExecutionAssembler.assemble(source, SessionQuery.of("sess-42"), AssemblyOptions.defaults());
 * }
 * }</pre>
 */
package dev.execflow.source.jsonl;
