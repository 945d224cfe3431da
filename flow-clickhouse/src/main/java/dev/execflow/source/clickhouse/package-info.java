/**
 * The ClickHouse source over {@code com.clickhouse:client-v2}: {@link
 * dev.execflow.source.clickhouse.ClickHouseLogSource} streams one session's rows as RowBinary with
 * the session id as a bound parameter, and lists sessions with one aggregating query.
 *
 * <pre>{@code
 * try (var source = ClickHouseLogSource.open("http://localhost:8123", "default", null, "default", "unified_logs", "auto")) {
 *   ExecutionData data = ExecutionAssembler.assemble(source, SessionQuery.of("sess-42"), AssemblyOptions.defaults());
 * }
 * }</pre>
 */
package dev.execflow.source.clickhouse;
