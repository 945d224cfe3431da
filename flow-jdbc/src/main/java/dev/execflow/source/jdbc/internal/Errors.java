package dev.execflow.source.jdbc.internal;

import dev.execflow.spi.LogSourceException;
import dev.execflow.spi.LogSourceException.Reason;
import java.sql.SQLException;
import java.sql.SQLInvalidAuthorizationSpecException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLSyntaxErrorException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a driver's {@link SQLException} into a {@link LogSourceException} whose reason tells a
 * service what to answer. Drivers disagree on SQLState (DuckDB and ClickHouse rarely set one), so
 * the standard classes come first and the few messages of the tested drivers after them.
 */
public final class Errors {
  private static final Pattern CLICKHOUSE_CODE = Pattern.compile("Code: (\\d+)");

  private Errors() {}

  /** {@code e} as a {@link LogSourceException}, its message naming {@code what} was being done where. */
  public static LogSourceException translate(SQLException e, String what) {
    String message = "JDBC " + what + " failed: " + rootMessage(e);
    return new LogSourceException(reason(e), message, e);
  }

  static Reason reason(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLInvalidAuthorizationSpecException) {
        return Reason.AUTHENTICATION;
      }
      if (t instanceof SQLTimeoutException || t instanceof SQLTransientConnectionException
          || t instanceof SQLNonTransientConnectionException) {
        return Reason.UNAVAILABLE;
      }
      if (t instanceof SQLSyntaxErrorException) {
        return Reason.SCHEMA;
      }
      if (t instanceof SQLException) {
        String state = ((SQLException) t).getSQLState();
        if (state != null && state.length() >= 2) {
          switch (state.substring(0, 2)) {
            case "28":
              return Reason.AUTHENTICATION;
            case "08":
              return "08001".equals(state) && String.valueOf(t.getMessage()).contains("No suitable driver")
                  ? Reason.BAD_INPUT : Reason.UNAVAILABLE;
            case "42":
              return Reason.SCHEMA;
            default:
              break;
          }
        }
      }
      if (t instanceof java.net.ConnectException || t instanceof java.net.UnknownHostException
          || t instanceof java.net.SocketTimeoutException) {
        return Reason.UNAVAILABLE;
      }
    }
    String all = allMessages(e);
    Matcher m = CLICKHOUSE_CODE.matcher(all);
    if (m.find()) {
      switch (Integer.parseInt(m.group(1))) {
        case 192: // unknown user
        case 193: // wrong password
        case 194: // password required
        case 516: // authentication failed
          return Reason.AUTHENTICATION;
        case 60: // unknown table
        case 81: // unknown database
        case 47: // unknown identifier
        case 16: // no such column
          return Reason.SCHEMA;
        default:
          return Reason.UNAVAILABLE;
      }
    }
    String lower = all.toLowerCase(Locale.ROOT);
    if (lower.contains("catalog error") || lower.contains("binder error") || lower.contains("no such table")
        || lower.contains("no such column") || lower.contains("does not exist")) {
      return Reason.SCHEMA;
    }
    if (lower.contains("no files found") || lower.contains("no such file") || lower.contains("cannot open file")
        || lower.contains("invalid input error") || lower.contains("not a parquet file")) {
      return Reason.BAD_INPUT;
    }
    if (lower.contains("authentication") || lower.contains("password")) {
      return Reason.AUTHENTICATION;
    }
    return Reason.UNAVAILABLE;
  }

  private static String allMessages(Throwable e) {
    StringBuilder out = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      out.append(t.getMessage()).append('\n');
    }
    return out.toString();
  }

  /** The first message of {@code e}'s chain, on one line (a driver's own text names the problem). */
  public static String rootMessage(Throwable e) {
    String best = null;
    for (Throwable t = e; t != null && best == null; t = t.getCause()) {
      String m = t.getMessage();
      if (m != null && !m.isBlank() && (t.getCause() == null || !m.equals(t.getCause().toString()))) {
        best = m;
      }
    }
    if (best == null) {
      best = e.getClass().getSimpleName();
    }
    String line = best.strip().replaceAll("\\s*[\\r\\n]+\\s*", " ");
    return line.length() > 400 ? line.substring(0, 400) + "..." : line;
  }
}
