package dev.execflow.source.jsonl;

import dev.execflow.spi.LogSourceException;
import dev.execflow.spi.LogSourceException.Reason;
import dev.execflow.spi.MutableLogRow;
import dev.execflow.spi.SessionCursor;
import dev.execflow.spi.SessionTail;
import dev.execflow.spi.TailSink;
import dev.execflow.spi.WarningKind;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@link JsonlLogSource#tail}: follows one session through its files by byte offset. Per file it
 * keeps the offset after the last whole line, the file's identity and its first bytes (to notice a
 * truncation or a replacement), and the unfinished last line's size (taken once it stays unchanged
 * for a poll). Memory is a few numbers per file.
 */
final class JsonlTail implements SessionTail {
  /** Bytes of a file's start compared on every poll to notice another file at the same path. */
  private static final int HEAD = 64;

  private final JsonlLogSource source;
  private final String sessionId;
  private final byte[] needle;
  private final SessionCursor floor;
  private final Map<String, FileState> files = new HashMap<>();
  private final MutableLogRow row = new MutableLogRow();
  private SessionCursor cursor;
  private double latest = Double.NEGATIVE_INFINITY;

  /** Where the tail is in one input. */
  private static final class FileState {
    long offset;
    long lineNumber;
    Object fileKey;
    byte[] head = new byte[0];
    boolean gzip;
    /** The size at which an unfinished last line was seen at {@link #offset}; -1: none. */
    long partialAt = -1;
  }

  JsonlTail(JsonlLogSource source, String sessionId, SessionCursor after) {
    this.source = source;
    this.sessionId = Objects.requireNonNull(sessionId, "sessionId");
    this.floor = Objects.requireNonNull(after, "after");
    this.cursor = after;
    this.needle = JsonlLogSource.PLAIN_ID.matcher(sessionId).matches()
        ? ("\"" + sessionId + "\"").getBytes(StandardCharsets.UTF_8) : null;
  }

  @Override
  public long poll(TailSink sink) {
    if (source.isClosed()) {
      throw new LogSourceException(Reason.UNAVAILABLE, "JSONL source " + source.description() + " is closed");
    }
    long[] delivered = {0};
    List<JsonlInputs.Input> inputs = source.inputs().list();
    String restart = changed(inputs);
    if (restart != null) {
      files.clear();
      latest = Double.NEGATIVE_INFINITY;
      cursor = floor;
      sink.restart(restart);
      sink.warning(WarningKind.FOLLOW_RESTARTED, restart + "; following it again from its start");
    }
    for (JsonlInputs.Input input : inputs) {
      FileState state = files.computeIfAbsent(input.name(), n -> new FileState());
      readNew(input, state, sink, delivered);
    }
    return delivered[0];
  }

  /** Why the files already followed cannot be continued (one shrank or was replaced), or null. */
  private String changed(List<JsonlInputs.Input> inputs) {
    for (JsonlInputs.Input input : inputs) {
      FileState state = files.get(input.name());
      Path path = input.path();
      if (state == null || state.offset == 0 || path == null || state.gzip) {
        continue;
      }
      try {
        BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
        if (attributes.size() < state.offset) {
          return input.name() + " was truncated (" + attributes.size() + " bytes, " + state.offset + " read)";
        }
        if (!Objects.equals(attributes.fileKey(), state.fileKey) || !Arrays.equals(head(path, state.head.length),
            state.head)) {
          return input.name() + " was replaced";
        }
      } catch (NoSuchFileException e) {
        // gone between listing and now: what it held stays folded; a new file there is a replacement
      } catch (IOException e) {
        throw new LogSourceException(Reason.BAD_INPUT, "Cannot read " + input.name() + ": " + e.getMessage(), e);
      }
    }
    return null;
  }

  private static byte[] head(Path path, int n) throws IOException {
    try (InputStream in = Files.newInputStream(path)) {
      return in.readNBytes(n);
    }
  }

  private void readNew(JsonlInputs.Input input, FileState state, TailSink sink, long[] delivered) {
    Path path = input.path();
    try {
      long size = -1;
      InputStream in;
      if (path != null && !state.gzip) {
        BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
        size = attributes.size();
        if (state.offset == 0) {
          state.fileKey = attributes.fileKey();
          state.gzip = isGzip(path);
        }
      }
      if (path != null && !state.gzip) {
        if (size == state.offset) {
          return;
        }
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
        channel.position(state.offset);
        in = new Bounded(Channels.newInputStream(channel), size - state.offset);
      } else {
        // not seekable (gzip, a resource): read again, skipping what was consumed
        in = JsonlInputs.decompressed(input.open());
        try {
          in.skipNBytes(state.offset);
        } catch (EOFException e) {
          in.close();
          return;
        }
      }
      try (InputStream stream = in) {
        readLines(input, state, stream, size, sink, delivered);
      }
      if (path != null && state.head.length < HEAD && state.offset > state.head.length && !state.gzip) {
        state.head = head(path, (int) Math.min(HEAD, state.offset));
      }
    } catch (EOFException e) {
      // a gzip member still being written: what was whole is delivered, the rest waits
    } catch (NoSuchFileException e) {
      // removed since the listing: nothing new from it
    } catch (IOException e) {
      throw new LogSourceException(Reason.BAD_INPUT, "Cannot read " + input.name() + ": " + e.getMessage(), e);
    }
  }

  private static boolean isGzip(Path path) throws IOException {
    byte[] magic = head(path, 2);
    return magic.length == 2 && (magic[0] & 0xFF) == 0x1F && (magic[1] & 0xFF) == 0x8B;
  }

  private void readLines(JsonlInputs.Input input, FileState state, InputStream in, long size, TailSink sink,
      long[] delivered) throws IOException {
    LineReader lines = new LineReader(in, source.maxLineLength(), true);
    long base = state.offset;
    long firstLine = state.lineNumber;
    long takenPartialEnd = -1;
    int result;
    try {
      while ((result = lines.next()) != LineReader.EOF) {
        long lineNumber = firstLine + lines.lineNumber();
        if (result == LineReader.PARTIAL) {
          if (size >= 0 && state.partialAt == size && lines.lineLength() > 0
              && partialLine(input, lines, lineNumber + 1, sink, delivered)) {
            // unchanged for a whole poll and a whole row: a last line that will not get its newline
            takenPartialEnd = base + lines.consumed() + lines.lineLength();
            state.partialAt = -1;
          } else {
            state.partialAt = size;
          }
          break;
        }
        state.partialAt = -1;
        if (result == LineReader.TOO_LONG) {
          sink.warning(WarningKind.LINE_TOO_LONG, input.name() + ":" + lineNumber + ": longer than "
              + source.maxLineLength() + " bytes, skipped");
          continue;
        }
        line(input, lines, lineNumber, sink, delivered);
      }
    } finally {
      state.lineNumber = firstLine + lines.lineNumber() + (takenPartialEnd >= 0 ? 1 : 0);
      state.offset = takenPartialEnd >= 0 ? takenPartialEnd : base + lines.consumed();
    }
  }

  /** Delivers one whole line (or reports it), as {@link JsonlLogSource#read} would. */
  private void line(JsonlInputs.Input input, LineReader lines, long lineNumber, TailSink sink, long[] delivered) {
    byte[] buf = lines.buffer();
    int off = lines.lineStart();
    int len = lines.lineLength();
    if (JsonlLogSource.isBlank(buf, off, len)
        || (needle != null && JsonlLogSource.indexOf(buf, off, len, needle) < 0)) {
      return;
    }
    try {
      source.parser().parse(buf, off, len, row);
    } catch (RowParser.BadLine e) {
      sink.warning(WarningKind.BAD_JSON_LINE, input.name() + ":" + lineNumber + ": " + e.getMessage());
      return;
    }
    deliver(input, lineNumber, sink, delivered);
  }

  /**
   * An unfinished last line: taken (and true) only when it parses as a whole row, as a line cut
   * mid-write never does; otherwise it is left for a later poll, without a warning.
   */
  private boolean partialLine(JsonlInputs.Input input, LineReader lines, long lineNumber, TailSink sink,
      long[] delivered) {
    byte[] buf = lines.buffer();
    int off = lines.lineStart();
    int len = lines.lineLength();
    if (JsonlLogSource.isBlank(buf, off, len)) {
      return false;
    }
    try {
      source.parser().parse(buf, off, len, row);
    } catch (RowParser.BadLine e) {
      return false;
    }
    deliver(input, lineNumber, sink, delivered);
    return true;
  }

  private void deliver(JsonlInputs.Input input, long lineNumber, TailSink sink, long[] delivered) {
    if (!sessionId.equals(row.sessionId()) || (floor != SessionCursor.START && !floor.precedes(row))) {
      return;
    }
    double ts = row.timestamp();
    if (ts < latest) {
      sink.warning(WarningKind.OUT_OF_ORDER_ROW, input.name() + ":" + lineNumber + ": timestamp " + ts
          + " is before the previous row's " + latest);
    } else if (ts > latest) {
      latest = ts;
    }
    cursor = cursor.advancedTo(row);
    delivered[0]++;
    sink.accept(row);
  }

  @Override
  public SessionCursor cursor() {
    return cursor;
  }

  @Override
  public boolean deliversLateRows() {
    return false;
  }

  /** The bytes of a file up to the size it had when the poll began (a writer may be appending). */
  private static final class Bounded extends InputStream {
    private final InputStream in;
    private long left;

    Bounded(InputStream in, long limit) {
      this.in = in;
      this.left = limit;
    }

    @Override
    public int read() throws IOException {
      if (left <= 0) {
        return -1;
      }
      int b = in.read();
      if (b >= 0) {
        left--;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (left <= 0) {
        return -1;
      }
      int n = in.read(b, off, (int) Math.min(len, left));
      if (n > 0) {
        left -= n;
      }
      return n;
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }
}
