package dev.execflow.spi;

/**
 * Receives the rows a {@link SessionTail} polls. Besides rows and warnings it hears of a {@link
 * #restart}: the rows delivered before no longer stand (a followed file was truncated or
 * replaced), and the rows that follow are the session from its beginning.
 *
 * <pre>{@code
 * tail.poll(new TailSink() {
 *   public void accept(LogRow row) { assembler.accept(row); }
 *   public void restart(String reason) { assembler = new ExecutionAssembler(); }
 * });
 * }</pre>
 */
public interface TailSink extends RowSink {
  /**
   * Forget every row delivered so far: the next rows start the session over. The tail also
   * reports the restart as a warning ({@link WarningKind#FOLLOW_RESTARTED}) right after this call,
   * so that the fresh state counts it.
   *
   * @param reason one line for a person, e.g. {@code logs.jsonl was truncated}
   */
  void restart(String reason);

  /** A sink that folds into {@code rows} and cannot start over (a restart is only counted). */
  static TailSink of(RowSink rows) {
    return new TailSink() {
      @Override public void accept(LogRow row) {
        rows.accept(row);
      }

      @Override public void warning(String kind, String detail) {
        rows.warning(kind, detail);
      }

      @Override public void restart(String reason) {
        // the caller keeps what it folded; the warning that follows says so
      }
    };
  }
}
