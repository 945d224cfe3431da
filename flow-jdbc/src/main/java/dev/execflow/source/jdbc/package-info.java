/**
 * A {@link dev.execflow.spi.LogSource} over any JDBC {@code DataSource}: {@link
 * dev.execflow.source.jdbc.JdbcLogSource}, with a small {@link dev.execflow.source.jdbc.SqlDialect}
 * hook for what databases spell differently. Tested on DuckDB (tables, Parquet and JSON Lines
 * files), SQLite and ClickHouse through clickhouse-jdbc; only {@code java.sql} is used.
 *
 * <pre>{@code
 * try (JdbcLogSource source = JdbcLogSource.builder(dataSource).table("unified_logs").build()) {
 *   ExecutionData data = ExecutionAssembler.assemble(source, SessionQuery.of("sess-42"),
 *       AssemblyOptions.defaults());
 * }
 * }</pre>
 */
package dev.execflow.source.jdbc;
