/**
 * What {@link dev.execflow.source.jdbc.JdbcLogSource} is made of: the SQL it sends, how values are
 * read from a {@code ResultSet}, the dialect presets, error translation and a DriverManager-backed
 * data source. Not an API: may change in any release.
 */
package dev.execflow.source.jdbc.internal;
