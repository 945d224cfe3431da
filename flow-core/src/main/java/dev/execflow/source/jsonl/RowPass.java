package dev.execflow.source.jsonl;

import dev.execflow.source.jsonl.JsonlInputs.Input;
import dev.execflow.spi.ContentCut;
import dev.execflow.spi.LogRow;
import dev.execflow.spi.LogSourceException;
import dev.execflow.spi.LogSourceException.Reason;
import dev.execflow.spi.MutableLogRow;
import dev.execflow.spi.RowOrder;
import dev.execflow.spi.RowSink;
import dev.execflow.spi.WarningKind;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.Predicate;

/**
 * One streaming pass of a {@link JsonlLogSource} over its inputs: each input in turn ({@link
 * #scan}) or all at once merged by time ({@link #merge}), every kept row handed to a {@link
 * RowHandler} as the one reused flyweight.
 */
final class RowPass {
  /** Read buffer per input; a merge of many files shares a larger total among them. */
  static final int CHUNK = 64 * 1024;

  /** Receives each parsed row of a pass (the flyweight) with where it came from. */
  interface RowHandler {
    void row(MutableLogRow row, Input input, long lineNumber);
  }

  private final JsonlLogSource source;
  /** The bound on {@code content_json}, in code points. */
  private final int contentLimit;

  RowPass(JsonlLogSource source) {
    this(source, ContentCut.DEFAULT_CODE_POINTS);
  }

  RowPass(JsonlLogSource source, int contentLimit) {
    this.source = source;
    this.contentLimit = contentLimit;
  }

  /** Every input in turn, each matching row to {@code handler}. */
  void scan(List<Input> all, byte[] sessionId, Predicate<LogRow> keep, RowSink warnings, RowHandler handler) {
    for (Input input : all) {
      try (InputRows c = new InputRows(input, 0, sessionId, keep, warnings, CHUNK)) {
        while (c.advance()) {
          handler.row(c.row, input, c.lineNumber);
        }
      }
    }
  }

  /**
   * The rows of several files merged by time (k-way: each file is read as a stream, the next row
   * delivered is the earliest of the files' current rows), so that a session split over files
   * (hourly exports, say) arrives in order. Rows with equal timestamps are ordered by {@link
   * RowOrder}'s tie-break, then by file name.
   */
  void merge(List<Input> all, byte[] sessionId, Predicate<LogRow> keep, RowSink warnings, RowHandler handler) {
    int chunk = all.size() <= 8 ? CHUNK : Math.max(4096, CHUNK * 8 / all.size());
    PriorityQueue<InputRows> next = new PriorityQueue<>((a, b) -> {
      int c = RowOrder.compare(a.row, b.row);
      return c != 0 ? c : Integer.compare(a.index, b.index);
    });
    List<InputRows> open = new ArrayList<>();
    try {
      for (int i = 0; i < all.size(); i++) {
        InputRows c = new InputRows(all.get(i), i, sessionId, keep, warnings, chunk);
        open.add(c);
        if (c.advance()) {
          next.add(c);
        } else {
          c.close();
        }
      }
      while (!next.isEmpty()) {
        InputRows c = next.poll();
        handler.row(c.row, c.input, c.lineNumber);
        if (c.advance()) {
          next.add(c);
        } else {
          c.close();
        }
      }
    } finally {
      for (InputRows c : open) {
        c.close();
      }
    }
  }

  /**
   * One input read as a stream of parsed rows: lines projected, the lines of other sessions
   * skipped before parsing, bad lines reported to the sink; the current row in {@link #row}.
   */
  private final class InputRows implements AutoCloseable {
    final Input input;
    final int index;
    final MutableLogRow row = new MutableLogRow();
    long lineNumber;
    private final byte[] sessionId;
    private final Predicate<LogRow> keep;
    private final RowSink warnings;
    private final InputStream in;
    private final LineProjector lines;
    private boolean closedHere;

    InputRows(Input input, int index, byte[] sessionId, Predicate<LogRow> keep, RowSink warnings, int chunk) {
      this.input = input;
      this.index = index;
      this.sessionId = sessionId;
      this.keep = keep;
      this.warnings = warnings;
      GzipMembers.Problems gzip = (kind, detail) -> warnings.warning(kind, input.name() + ": " + detail);
      try {
        this.in = JsonlInputs.decompressed(input.open(), gzip, chunk);
      } catch (IOException e) {
        throw failure(e);
      }
      this.lines = new LineProjector(in, source.mappings(), source.maxLineLength(),
          contentLimit, JsonlLogSource.MAX_VALUE_CHARS, chunk);
    }

    /** Moves to the next kept row; false at the end of the input (or where it breaks off). */
    boolean advance() {
      if (closedHere) {
        return false;
      }
      try {
        int result;
        while ((result = lines.next()) != LineProjector.EOF) {
          lineNumber = lines.lineNumber();
          if ((lineNumber & 0xFFF) == 0 && (source.isClosed() || Thread.currentThread().isInterrupted())) {
            throw new LogSourceException(Reason.INTERRUPTED,
                "Reading " + input.name() + " stopped at line " + lineNumber);
          }
          if (result == LineProjector.BLANK) {
            continue;
          }
          if (result == LineProjector.TOO_LONG) {
            warnings.warning(WarningKind.LINE_TOO_LONG, input.name() + ":" + lineNumber
                + ": longer than " + source.maxLineLength() + " bytes, skipped");
            continue;
          }
          if (result == LineProjector.BAD) {
            warnings.warning(WarningKind.BAD_JSON_LINE, input.name() + ":" + lineNumber + ": " + lines.problem());
            continue;
          }
          if (sessionId != null && Boolean.FALSE.equals(lines.sessionIs(sessionId))) {
            continue;
          }
          try {
            source.parser().parse(lines.buffer(), 0, lines.length(), row);
          } catch (RowParser.BadLine e) {
            warnings.warning(WarningKind.BAD_JSON_LINE, input.name() + ":" + lineNumber + ": " + e.getMessage());
            continue;
          }
          if (keep != null && !keep.test(row)) {
            continue;
          }
          if (contentLimit != ContentCut.DEFAULT_CODE_POINTS) {
            // the parser closes strings cut at the default bound; this pass cut at its own
            row.contentJson(ContentCut.closeCutString(row.contentJson(), contentLimit));
          }
          for (String cut : lines.cuts()) {
            warnings.warning(WarningKind.VALUE_CUT, input.name() + ":" + lineNumber + ": " + cut);
          }
          return true;
        }
        return false;
      } catch (EOFException e) {
        // typically a gzip file still being written: keep what was read, say what was not
        warnings.warning(WarningKind.TRUNCATED_FILE, input.name() + ": ends early (" + e.getMessage() + ")");
        close();
        return false;
      } catch (IOException e) {
        close();
        throw failure(e);
      }
    }

    private LogSourceException failure(IOException e) {
      if (e instanceof NoSuchFileException) {
        return new LogSourceException(Reason.BAD_INPUT, "No such JSONL file: " + input.name(), e);
      }
      if (e instanceof ClosedByInterruptException) {
        // an interrupt closes the file channel under the reader: that is a cancellation
        return new LogSourceException(Reason.INTERRUPTED, "Reading " + input.name() + " was cancelled", e);
      }
      return new LogSourceException(Reason.BAD_INPUT, "Cannot read " + input.name() + ": " + e.getMessage(), e);
    }

    @Override
    public void close() {
      if (!closedHere) {
        closedHere = true;
        try {
          in.close();
        } catch (IOException e) {
          // nothing more to read from it
        }
      }
    }
  }
}
