package dev.execflow.examples.service;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * One request as the routes see it: the path's segments (still encoded), the decoded query
 * parameters (the first of a repeated one wins) and the headers; with the checks every route
 * shares (ids, bounded numbers), each failing as a {@link Responses.BadRequest}.
 */
final class Request {
  /** Longest session id, cascade id, phase name or cursor accepted. */
  static final int MAX_ID_LENGTH = 256;
  static final int MAX_QUERY_LENGTH = 2048;
  static final String ID_RULE = "expected 1 to " + MAX_ID_LENGTH
      + " characters of letters, digits and . _ : @ + = ~ -";
  // ids of the original system are UUIDs or slugs; this keeps paths, SQL and logs unambiguous
  private static final Pattern VALID_ID = Pattern.compile("[A-Za-z0-9._:@+=~-]{1,256}");

  final String[] parts;
  final Map<String, String> params;
  final Function<String, String> headers;

  private Request(String[] parts, Map<String, String> params, Function<String, String> headers) {
    this.parts = parts;
    this.params = params;
    this.headers = headers;
  }

  /** Splits {@code /api/...}; the query is parsed here (bad percent-encoding: 400). */
  static Request of(String rawPath, String rawQuery, Function<String, String> headers) {
    if (rawQuery != null && rawQuery.length() > MAX_QUERY_LENGTH) {
      throw new Responses.BadRequest("query string too long");
    }
    return new Request(rawPath.substring(1).split("/", -1), parseQuery(rawQuery), headers);
  }

  /** Whether the path is {@code /api/} followed by exactly these segments ({@code null}: any). */
  boolean is(String... segments) {
    if (parts.length != segments.length + 1) {
      return false;
    }
    for (int i = 0; i < segments.length; i++) {
      if (segments[i] != null && !segments[i].equals(parts[i + 1])) {
        return false;
      }
    }
    return true;
  }

  /** Path segment {@code i} (after {@code api}), percent-decoded; 400 when malformed. */
  String segment(int i, String what) {
    String s = PercentDecoding.decode(parts[i + 1]);
    if (s == null) {
      throw new Responses.BadRequest("invalid " + what + ": bad percent-encoding");
    }
    return s;
  }

  String param(String name) {
    return params.get(name);
  }

  /** Whether {@code id} is a valid session id. */
  static boolean validId(String id) {
    return id != null && VALID_ID.matcher(id).matches();
  }

  /** {@code id} when valid, else a 400 naming {@code what}. */
  static String requireId(String id, String what) {
    if (!validId(id)) {
      throw new Responses.BadRequest("invalid " + what + ": " + ID_RULE);
    }
    return id;
  }

  /**
   * The integer parameter {@code value} in {@code [min, max]}, {@code fallback} when absent or
   * empty; a 400 naming {@code name} otherwise.
   */
  static int boundedInt(String value, String name, int min, int max, int fallback) {
    if (value == null || value.isEmpty()) {
      return fallback;
    }
    int n;
    try {
      n = Integer.parseInt(value);
    } catch (NumberFormatException e) {
      n = min - 1;
    }
    if (n < min || n > max) {
      throw new Responses.BadRequest("invalid " + name + ": expected a number from " + min + " to " + max);
    }
    return n;
  }

  /** Query parameters; the first occurrence wins; bad percent-encoding is a 400. */
  private static Map<String, String> parseQuery(String rawQuery) {
    Map<String, String> params = new LinkedHashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return params;
    }
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = PercentDecoding.decodeForm(eq < 0 ? pair : pair.substring(0, eq));
      String value = PercentDecoding.decodeForm(eq < 0 ? "" : pair.substring(eq + 1));
      if (key == null || value == null) {
        throw new Responses.BadRequest("bad percent-encoding in the query string");
      }
      params.putIfAbsent(key, value);
    }
    return params;
  }
}
