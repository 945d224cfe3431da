/**
 * A real ClickHouse server for tests: {@link dev.execflow.source.clickhouse.testing.ClickHouseServer}
 * starts Debian's {@code clickhouse-server} as a child process (or uses {@code FLOW_CLICKHOUSE_URL}),
 * {@link dev.execflow.source.clickhouse.testing.ClickHouseServerExtension} shares one per test run
 * (skipping loudly without a server, failing when {@code CI=true}), and {@link
 * dev.execflow.source.clickhouse.testing.LogTable} creates and fills {@code unified_logs}-like tables.
 * A class annotated {@link dev.execflow.source.clickhouse.testing.CurrentEngine} gets ClickHouse's
 * current engine instead: chdb (npm) behind a minimal HTTP front in node, found by {@link
 * dev.execflow.source.clickhouse.testing.Chdb}.
 *
 * <pre>{@code
 * @ExtendWith(ClickHouseServerExtension.class)
 * class MyTest {
 *   @Test void reads(ClickHouseServer server) {
 *     LogTable.windlass("logs").create(server).insert(server, rows);
 *   }
 * }
 * }</pre>
 */
package dev.execflow.source.clickhouse.testing;
