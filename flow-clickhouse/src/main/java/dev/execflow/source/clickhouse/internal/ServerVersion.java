package dev.execflow.source.clickhouse.internal;

/** A ClickHouse server version such as {@code 18.16.1} or {@code 24.8.4.13}. */
public record ServerVersion(int major, int minor, String text) {

  /** Parses the leading {@code major.minor} of {@code version()}; unknown parts become 0. */
  public static ServerVersion parse(String text) {
    String[] parts = text.trim().split("\\.");
    return new ServerVersion(number(parts, 0), number(parts, 1), text.trim());
  }

  private static int number(String[] parts, int i) {
    if (i >= parts.length) {
      return 0;
    }
    try {
      return Integer.parseInt(parts[i].replaceAll("[^0-9].*$", ""));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  public boolean atLeast(int wantMajor, int wantMinor) {
    return major > wantMajor || (major == wantMajor && minor >= wantMinor);
  }

  /**
   * Whether the HTTP interface takes {@code param_<name>} query parameters. They arrived in the
   * 19.x series; 18.16 answers "Unknown setting param_..." Conservatively: from 20.1 on.
   */
  public boolean supportsQueryParameters() {
    return atLeast(20, 1);
  }

  /**
   * Whether the server's {@code compress=1} response framing is worth trying. 18.16 answers it
   * with an empty body (zero rows, no error), so older servers never get it; newer ones must still
   * pass the connect probe.
   */
  public boolean mayCompress() {
    return major >= 19;
  }

  @Override
  public String toString() {
    return text;
  }
}
