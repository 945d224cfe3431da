package dev.execflow.source.jdbc;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.duckdb.DuckDBConnection;

/**
 * One in-memory DuckDB database as a {@link DataSource}: each connection is a duplicate of one
 * base connection (a new {@code jdbc:duckdb:} connection would be a new, empty database). This is
 * also how a host shares an in-memory DuckDB with the source.
 */
final class DuckDbMemory implements DataSource, AutoCloseable {
  private final DuckDBConnection base;

  DuckDbMemory() {
    try {
      base = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:");
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public Connection getConnection() throws SQLException {
    return base.duplicate();
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    return getConnection();
  }

  @Override
  public void close() {
    try {
      base.close();
    } catch (SQLException ignored) {
      // in memory: nothing to lose
    }
  }

  @Override public PrintWriter getLogWriter() { return null; }
  @Override public void setLogWriter(PrintWriter out) {}
  @Override public void setLoginTimeout(int seconds) {}
  @Override public int getLoginTimeout() { return 0; }
  @Override public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException();
  }
  @Override public <T> T unwrap(Class<T> iface) throws SQLException {
    throw new SQLException("not a wrapper");
  }
  @Override public boolean isWrapperFor(Class<?> iface) { return false; }
}
