/**
 * Internal: the SQL and RowBinary plumbing of {@code ClickHouseLogSource}. These classes are public
 * only to be shared inside execflow; they are not an API, may change in any release without notice,
 * and should not be used from other code.
 */
package dev.execflow.source.clickhouse.internal;
