package dev.execflow.source.jdbc.internal;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Properties;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A {@link DataSource} over {@link DriverManager}: one new connection per {@link #getConnection()}
 * (a command line reads a session or a page, not thousands). For ClickHouse URLs it finds out
 * once whether the server is one the default (v2) driver cannot talk to and then switches to the
 * legacy v1 driver inside the same clickhouse-jdbc artifact, with the settings that work against
 * 18.16 (see {@link #LEGACY_SETTINGS}), so that {@code jdbc:clickhouse://host:8123/db} works as
 * given.
 */
public final class UrlDataSource implements DataSource {
  /**
   * What clickhouse-jdbc's v1 driver needs against an 18.16 server (measured): v1 itself; the
   * server's version and time zone given, because v1 otherwise asks with {@code currentUser()},
   * which 18.16 lacks; a text format 18.16 has (v1 asks for RowBinaryWithNamesAndTypes
   * otherwise); and no compressed responses, which 18.16 answers with an empty body (zero rows,
   * no error). {@code %s} is the server's version.
   */
  public static final String LEGACY_SETTINGS = "clickhouse.jdbc.v1=true&server_version=%s&server_time_zone=UTC"
      + "&format=TabSeparatedWithNamesAndTypes&custom_settings=default_format=TabSeparatedWithNamesAndTypes"
      + "&compress=0";

  private final String url;
  private final Properties properties;
  private volatile String effectiveUrl;
  private PrintWriter logWriter;

  /**
   * @param url a JDBC URL, e.g. {@code jdbc:duckdb:}, {@code jdbc:sqlite:/tmp/logs.db}, {@code
   *     jdbc:clickhouse://localhost:8123/default}
   * @param properties driver properties ({@code user}, {@code password}, ...); copied
   */
  public UrlDataSource(String url, Properties properties) {
    this.url = url;
    this.properties = new Properties();
    this.properties.putAll(properties);
  }

  /** The URL as given (never printed with its query, which may hold a password). */
  public String url() {
    return url;
  }

  /** The URL without its query string, for messages. */
  public String displayUrl() {
    int q = url.indexOf('?');
    return q < 0 ? url : url.substring(0, q);
  }

  /** Whether connections go through clickhouse-jdbc's legacy v1 driver (decided on first use). */
  public boolean legacyClickHouse() {
    String u = effectiveUrl;
    return u != null && u.contains("clickhouse.jdbc.v1=true");
  }

  static boolean isClickHouse(String url) {
    String u = url.toLowerCase(Locale.ROOT);
    return u.startsWith("jdbc:clickhouse:") || u.startsWith("jdbc:ch:");
  }

  @Override
  public Connection getConnection() throws SQLException {
    String u = effectiveUrl;
    if (u != null) {
      return DriverManager.getConnection(u, properties);
    }
    synchronized (this) {
      if (effectiveUrl == null) {
        return firstConnection();
      }
    }
    return DriverManager.getConnection(effectiveUrl, properties);
  }

  private Connection firstConnection() throws SQLException {
    if (!isClickHouse(url) || url.contains("clickhouse.jdbc.v1") || properties.containsKey("clickhouse.jdbc.v1")) {
      Connection c = DriverManager.getConnection(url, properties);
      effectiveUrl = url;
      return c;
    }
    // v2 connects to any server but fails on the first query to one older than 20 (it cannot
    // read the version); so ask for it, and fall back to v1 when that fails or is too old
    SQLException current;
    Connection c = null;
    try {
      c = DriverManager.getConnection(url, properties);
      String version = version(c);
      if (version != null && major(version) >= 20) {
        effectiveUrl = url;
        return c;
      }
      current = new SQLException("ClickHouse " + version + " is too old for clickhouse-jdbc's default driver");
    } catch (SQLException e) {
      current = e;
    }
    if (c != null) {
      c.close();
    }
    Connection legacy;
    String probeUrl = withSettings(url, String.format(Locale.ROOT, LEGACY_SETTINGS, "18.16.1"));
    try {
      legacy = DriverManager.getConnection(probeUrl, properties);
    } catch (SQLException e) {
      current.addSuppressed(e);
      throw preferLegacy(current, e);
    }
    String version;
    try {
      version = version(legacy);
    } catch (SQLException e) {
      legacy.close();
      current.addSuppressed(e);
      throw preferLegacy(current, e);
    }
    if (version == null || !version.matches("\\d+(\\.\\d+)*")) {
      legacy.close();
      throw current;
    }
    String exact = withSettings(url, String.format(Locale.ROOT, LEGACY_SETTINGS, version));
    if (exact.equals(probeUrl)) {
      effectiveUrl = exact;
      return legacy;
    }
    legacy.close();
    effectiveUrl = exact;
    return DriverManager.getConnection(exact, properties);
  }

  private static String version(Connection c) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT version()")) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  private static int major(String version) {
    try {
      return Integer.parseInt(version.split("\\.")[0].trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /**
   * v2's failure on an old server says only that it could not get the version; when v1 got as far
   * as the server's own answer (a wrong password, say), that answer is the one to show.
   */
  private static SQLException preferLegacy(SQLException v2, SQLException v1) {
    String m = String.valueOf(v1.getMessage());
    return m.contains("Code: ") ? v1 : v2;
  }

  static String withSettings(String url, String settings) {
    StringBuilder out = new StringBuilder(url);
    char sep = url.indexOf('?') < 0 ? '?' : '&';
    for (String kv : settings.split("&")) {
      String key = kv.substring(0, kv.indexOf('='));
      if (!url.contains(key + "=")) {
        out.append(sep).append(kv);
        sep = '&';
      }
    }
    return out.toString();
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    Properties p = new Properties();
    p.putAll(properties);
    p.setProperty("user", username);
    p.setProperty("password", password);
    return DriverManager.getConnection(effectiveUrl != null ? effectiveUrl : url, p);
  }

  @Override
  public PrintWriter getLogWriter() {
    return logWriter;
  }

  @Override
  public void setLogWriter(PrintWriter out) {
    this.logWriter = out;
  }

  @Override
  public void setLoginTimeout(int seconds) {
    DriverManager.setLoginTimeout(seconds);
  }

  @Override
  public int getLoginTimeout() {
    return DriverManager.getLoginTimeout();
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException("no parent logger");
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    if (iface.isInstance(this)) {
      return iface.cast(this);
    }
    throw new SQLException("not a wrapper of " + iface.getName());
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) {
    return iface.isInstance(this);
  }

  @Override
  public String toString() {
    return displayUrl();
  }
}
