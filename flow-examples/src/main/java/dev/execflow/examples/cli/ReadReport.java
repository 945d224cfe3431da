package dev.execflow.examples.cli;

import dev.execflow.assemble.ExecutionAssembler;
import dev.execflow.model.Warnings;
import dev.execflow.spi.LogRow;
import dev.execflow.spi.RowSink;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * What the CLI tells a person on stderr about a read, besides the JSON on stdout: progress while a
 * long read runs (only when stderr is a terminal: nothing when piped), and afterwards one line
 * summing up the warnings, saying first whether rows may be missing. A read that lost input is
 * "incomplete": the command then exits {@link ExecflowCli#EXIT_INCOMPLETE}, so a script cannot
 * mistake it for a complete answer.
 */
final class ReadReport {
  /**
   * Source warnings that mean rows (or parts of them) did not reach the fold: a file that ends
   * early, gzip data that could not be read, lines that are not rows, values that were cut or
   * could not be read.
   */
  static final Set<String> LOST_INPUT = Set.of("truncated_file", "trailing_data", "corrupt_gzip",
      "bad_json_line", "line_too_long", "value_cut", "bad_value");

  /** Whether stderr is a terminal; tests replace it. */
  static volatile BooleanSupplier stderrIsTerminal = ReadReport::stderrIsTerminal;

  private ReadReport() {}

  /**
   * On Linux, fd 2 of this process links to a terminal device; elsewhere the JVM's console (both
   * ends interactive) is the best guess.
   */
  static boolean stderrIsTerminal() {
    try {
      Path fd2 = Path.of("/proc/self/fd/2");
      if (Files.exists(fd2, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        String target = Files.readSymbolicLink(fd2).toString();
        return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
      }
    } catch (java.io.IOException | UnsupportedOperationException | SecurityException e) {
      // fall through
    }
    return System.console() != null;
  }

  /**
   * Wraps the fold so that a read taking more than two seconds shows, on one rewritten line,
   * rows read, rows per second and phases so far; the line is erased when the read ends.
   */
  static final class Progress implements RowSink, AutoCloseable {
    /** Reads shorter than this show nothing; tests shorten it. */
    static volatile long afterNanos = 2_000_000_000L;
    static volatile long everyNanos = 500_000_000L;

    private final ExecutionAssembler fold;
    private final PrintWriter err;
    private final boolean show;
    private final long start = System.nanoTime();
    private long next = start + afterNanos;
    private long rows;
    private boolean shown;

    Progress(ExecutionAssembler fold, PrintWriter err) {
      this.fold = fold;
      this.err = err;
      this.show = stderrIsTerminal.getAsBoolean();
    }

    @Override
    public void accept(LogRow row) {
      fold.accept(row);
      if (show && (++rows & 0x3FFF) == 0) {
        long now = System.nanoTime();
        if (now >= next) {
          next = now + everyNanos;
          double seconds = (now - start) / 1e9;
          err.printf("\rreading: %,d rows, %,d rows/s, %d phases so far ", rows, Math.round(rows / seconds),
              fold.snapshot().summary().phaseCount());
          err.flush();
          shown = true;
        }
      }
    }

    @Override
    public void warning(String kind, String detail) {
      fold.warning(kind, detail);
    }

    @Override
    public void close() {
      if (shown) {
        err.print("\r" + " ".repeat(72) + "\r");
        err.flush();
      }
    }
  }

  /** Whether the warnings say input was lost on the way to the fold. */
  static boolean incomplete(Warnings warnings) {
    return warnings.byKind().keySet().stream().anyMatch(LOST_INPUT::contains);
  }

  /**
   * One line for stderr summing up {@code warnings}, or null when there are none, e.g. {@code
   * warning: input ends early; rows may be missing (truncated_file 1, bad_json_line 3; see
   * "warnings" in the output)}.
   */
  static String summary(Warnings warnings) {
    if (warnings.count() == 0) {
      return null;
    }
    Map<String, Long> kinds = warnings.byKind();
    String headline;
    if (kinds.containsKey("truncated_file")) {
      headline = "input ends early; rows may be missing";
    } else if (kinds.containsKey("corrupt_gzip") || kinds.containsKey("trailing_data")) {
      headline = "part of a gzip file could not be read; rows may be missing";
    } else if (kinds.containsKey("bad_json_line") || kinds.containsKey("line_too_long") || kinds.containsKey("bad_value")) {
      long n = kinds.getOrDefault("bad_json_line", 0L) + kinds.getOrDefault("line_too_long", 0L)
          + kinds.getOrDefault("bad_value", 0L);
      headline = n + " input line" + (n == 1 ? "" : "s") + " could not be read as rows; they are missing";
    } else if (kinds.containsKey("value_cut")) {
      headline = "values longer than the bound were cut";
    } else {
      headline = warnings.count() + " row" + (warnings.count() == 1 ? "" : "s") + " could not be interpreted";
    }
    StringBuilder list = new StringBuilder();
    kinds.forEach((k, v) -> list.append(list.length() == 0 ? "" : ", ").append(k).append(' ').append(v));
    return "warning: " + headline + " (" + list + "; see \"warnings\" in the output)";
  }

  /** One line for a listing's warnings, or nothing. */
  static List<String> listing(List<String> warnings) {
    return warnings.stream().map(w -> "warning: " + ExecflowCli.oneLine(w)).toList();
  }
}
