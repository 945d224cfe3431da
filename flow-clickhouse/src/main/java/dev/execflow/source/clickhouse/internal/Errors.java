package dev.execflow.source.clickhouse.internal;

import com.clickhouse.client.api.ServerException;
import dev.execflow.spi.LogSourceException;
import dev.execflow.spi.LogSourceException.Reason;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Turns what the client throws into a {@link LogSourceException} a user can act on. */
public final class Errors {
  private Errors() {}

  /**
   * @param where the endpoint, e.g. {@code http://localhost:8123}
   * @param user the user name (named in authentication errors)
   * @param what what was being done, e.g. {@code reading session "s1" from default.unified_logs}
   */
  public static LogSourceException translate(Throwable error, String where, String user, String what) {
    Throwable e = unwrap(error);
    if (e instanceof LogSourceException) {
      return (LogSourceException) e;
    }
    ServerException server = find(e, ServerException.class);
    if (server != null) {
      return fromServer(server, where, user, what);
    }
    if (find(e, UnknownHostException.class) != null) {
      return new LogSourceException(Reason.UNAVAILABLE, "ClickHouse at " + where
          + " is unreachable: unknown host (" + find(e, UnknownHostException.class).getMessage()
          + ") while " + what, error);
    }
    if (find(e, ConnectException.class) != null || find(e, NoRouteToHostException.class) != null) {
      Throwable c = find(e, ConnectException.class) != null
          ? find(e, ConnectException.class) : find(e, NoRouteToHostException.class);
      return new LogSourceException(Reason.UNAVAILABLE, "ClickHouse at " + where
          + " is unreachable (" + c.getMessage() + ") while " + what
          + "; check the URL and that the server is running", error);
    }
    if (find(e, SocketTimeoutException.class) != null || mentions(e, "timeout")
        || mentions(e, "timed out")) {
      return new LogSourceException(Reason.UNAVAILABLE, "ClickHouse at " + where
          + " did not answer in time while " + what + " (" + rootMessage(e)
          + "); raise the timeouts if the server is just slow", error);
    }
    return new LogSourceException(Reason.UNAVAILABLE, "ClickHouse at " + where + " failed while "
        + what + ": " + rootMessage(e), error);
  }

  private static LogSourceException fromServer(ServerException e, String where, String user, String what) {
    String message = firstLine(e.getMessage());
    switch (code(e)) {
      case 192: // UNKNOWN_USER
      case 193: // WRONG_PASSWORD
      case 194: // REQUIRED_PASSWORD
      case 195: // IP_ADDRESS_NOT_ALLOWED
      case 516: // AUTHENTICATION_FAILED
        return new LogSourceException(Reason.AUTHENTICATION, "ClickHouse at " + where
            + " refused user '" + user + "' (" + message + ")", e);
      case 497: // ACCESS_DENIED
      case 164: // READONLY
        return new LogSourceException(Reason.AUTHENTICATION, "ClickHouse at " + where
            + " denied user '" + user + "' while " + what + " (" + message + ")", e);
      case 60: // UNKNOWN_TABLE
      case 81: // UNKNOWN_DATABASE
      case 16: // NO_SUCH_COLUMN_IN_TABLE
      case 47: // UNKNOWN_IDENTIFIER
        return new LogSourceException(Reason.SCHEMA, "ClickHouse at " + where + ": " + message
            + " (while " + what + ")", e);
      case 158: // TOO_MANY_ROWS
      case 307: // TOO_MANY_BYTES
      case 396: // TOO_MANY_ROWS_OR_BYTES
      case 191: // SET_SIZE_LIMIT_EXCEEDED
        return new LogSourceException(Reason.UNAVAILABLE, "ClickHouse at " + where
            + " stopped the query at a limit of user '" + user + "' while " + what + " (" + message
            + "): raise " + limitName(message) + " for this user, or read with a user without it;"
            + " the read fails rather than return part of the result", e);
      case 159: // TIMEOUT_EXCEEDED
      case 160: // TOO_SLOW
        return new LogSourceException(Reason.UNAVAILABLE, "ClickHouse at " + where
            + " stopped the query at its time limit while " + what + " (" + message + ")", e);
      default:
        return new LogSourceException(Reason.UNAVAILABLE, "ClickHouse at " + where
            + " answered an error while " + what + ": " + message, e);
    }
  }

  /** The setting a limit error stems from, from the server's text (which does not name it). */
  static String limitName(String message) {
    String m = message == null ? "" : message.toLowerCase(java.util.Locale.ROOT);
    if (m.contains("rows to read")) {
      return "max_rows_to_read";
    }
    if (m.contains("bytes to read")) {
      return "max_bytes_to_read";
    }
    if (m.contains("limit for result") && m.contains("bytes")) {
      return "max_result_bytes";
    }
    if (m.contains("limit for result")) {
      return "max_result_rows";
    }
    if (m.contains("sort")) {
      return "max_rows_to_sort / max_bytes_to_sort";
    }
    if (m.contains("group by") || m.contains("group_by")) {
      return "max_rows_to_group_by";
    }
    return "the limit it names (max_result_rows, max_rows_to_read or the like)";
  }

  private static final java.util.regex.Pattern CODE = java.util.regex.Pattern.compile("Code: (\\d+)");

  /**
   * The server's error code. Servers before 19 send it only in the body ("Code: 193, ..."), not
   * in the X-ClickHouse-Exception-Code header the client reads, so the client reports 0.
   */
  static int code(ServerException e) {
    if (e.getCode() != 0) {
      return e.getCode();
    }
    java.util.regex.Matcher m = e.getMessage() == null ? null : CODE.matcher(e.getMessage());
    return m != null && m.find() ? Integer.parseInt(m.group(1)) : 0;
  }

  /** Whether {@code error} is the client giving up waiting (the server may still be working). */
  public static boolean isTimeout(Throwable error) {
    return find(error, SocketTimeoutException.class) != null || mentions(error, "timed out")
        || mentions(error, "timeout");
  }

  static Throwable unwrap(Throwable e) {
    while ((e instanceof ExecutionException || e instanceof CompletionException) && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }

  static <T extends Throwable> T find(Throwable e, Class<T> type) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }

  private static boolean mentions(Throwable e, String word) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t.getMessage() != null && t.getMessage().toLowerCase(java.util.Locale.ROOT).contains(word)) {
        return true;
      }
    }
    return false;
  }

  /** The innermost message, which is usually the one that says what happened. */
  public static String rootMessage(Throwable e) {
    String message = null;
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t.getMessage() != null) {
        message = t.getClass().getSimpleName() + ": " + firstLine(t.getMessage());
      }
    }
    return message == null ? e.getClass().getSimpleName() : message;
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    String line = nl < 0 ? s : s.substring(0, nl);
    return line.length() > 500 ? line.substring(0, 500) + "..." : line;
  }
}
