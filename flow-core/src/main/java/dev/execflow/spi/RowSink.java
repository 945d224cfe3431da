package dev.execflow.spi;

/**
 * Receives the rows of one session, in timestamp order, from a {@link LogSource}. The {@code
 * ExecutionAssembler} is one.
 */
public interface RowSink {
  /** One row; valid only during this call (see {@link LogRow}). */
  void accept(LogRow row);

  /**
   * A problem the source met that lost or changed data (a bad line, an unparseable value), so
   * that it can be counted with the assembler's own warnings rather than dropped silently.
   *
   * @param kind a short snake_case kind, e.g. {@code bad_json_line}
   * @param detail one line for a person, e.g. the line number and the parser's message
   */
  default void warning(String kind, String detail) {}

  /** {@link #warning(String, String)} with one of execflow's own kinds. */
  default void warning(WarningKind kind, String detail) {
    warning(kind.wireName(), detail);
  }
}
