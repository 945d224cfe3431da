package dev.execflow.source.clickhouse;

import dev.execflow.spi.LogSourceException;
import dev.execflow.spi.LogSourceException.Reason;
import java.util.Locale;

/** Checks an endpoint URL before anything is sent to it (see {@link ClickHouseLogSource#checkEndpoint}). */
final class Endpoints {
  private Endpoints() {}

  static String check(String url) {
    if (url == null || url.isBlank()) {
      throw new LogSourceException(Reason.BAD_INPUT, "no ClickHouse URL given (e.g. http://localhost:8123)");
    }
    String trimmed = url.strip();
    boolean secret = trimmed.contains("@") || trimmed.toLowerCase(Locale.ROOT).contains("password");
    String shown = secret ? "(not repeated: it may hold a password)" : "'" + trimmed + "'";
    java.net.URI uri;
    try {
      uri = new java.net.URI(trimmed);
    } catch (java.net.URISyntaxException e) {
      throw new LogSourceException(Reason.BAD_INPUT, "the ClickHouse URL " + shown
          + " is not a URL; expected http://host:8123 or https://host:8443");
    }
    if (uri.getRawUserInfo() != null || (uri.getRawQuery() != null
        && uri.getRawQuery().toLowerCase(Locale.ROOT).matches("(^|.*&)(user|password)=.*"))) {
      throw new LogSourceException(Reason.BAD_INPUT, "credentials in the ClickHouse URL are refused, so that they"
          + " never show in a process list or a log: give the user with --user and the password in an"
          + " environment variable named by --password-env (library: Builder.credentials)");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new LogSourceException(Reason.BAD_INPUT, "the ClickHouse URL " + shown + " is not an http:// or"
          + " https:// URL: execflow uses ClickHouse's HTTP interface, e.g. http://localhost:8123"
          + " (port 8123, not the native protocol's 9000)");
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      throw new LogSourceException(Reason.BAD_INPUT, "the ClickHouse URL " + shown + " has no host");
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new LogSourceException(Reason.BAD_INPUT, "the ClickHouse URL " + shown + " has a query string or"
          + " fragment; give only http(s)://host:port (settings and credentials have options of their own)");
    }
    return trimmed;
  }

  /** A session id as shown in messages: quoted, control characters escaped, long ones cut. */
  static String describeId(String id) {
    String shown = id.length() > 80 ? id.substring(0, 80) + "...(" + id.length() + " chars)" : id;
    StringBuilder out = new StringBuilder("\"");
    shown.codePoints().forEach(cp -> {
      if (cp < 0x20 || cp == 0x7F) {
        out.append(String.format("\\x%02X", cp));
      } else {
        out.appendCodePoint(cp);
      }
    });
    return out.append('"').toString();
  }
}
