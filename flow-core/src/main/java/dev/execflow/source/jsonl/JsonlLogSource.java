package dev.execflow.source.jsonl;

import dev.execflow.assemble.Vocabulary;
import dev.execflow.source.jsonl.JsonlInputs.Input;
import dev.execflow.source.jsonl.JsonlInputs.Inputs;
import dev.execflow.spi.ColumnMapping;
import dev.execflow.spi.ContentCut;
import dev.execflow.spi.LogRow;
import dev.execflow.spi.LogSource;
import dev.execflow.spi.LogSourceException;
import dev.execflow.spi.LogSourceException.Reason;
import dev.execflow.spi.RowOrder;
import dev.execflow.spi.RowSink;
import dev.execflow.spi.SessionListQuery;
import dev.execflow.spi.SessionPage;
import dev.execflow.spi.SessionCursor;
import dev.execflow.spi.SessionQuery;
import dev.execflow.spi.SessionTail;
import dev.execflow.spi.TailSink;
import dev.execflow.spi.WarningKind;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A {@link LogSource} over JSON Lines exported from ClickHouse {@code unified_logs} ({@code FORMAT
 * JSONEachRow}): one file, a directory of {@code *.jsonl} / {@code *.jsonl.gz} files, or classpath
 * resources. Gzip is recognised by its magic bytes. Reads stream line by line through one reused
 * buffer and one reused row, so memory does not grow with the file.
 *
 * <p>Both schemas' column names are accepted at once ({@code phase_name} and {@code cell_name},
 * {@code sounding_index} and {@code candidate_index}, ...). A line that is not a row (bad JSON, a
 * value of the wrong type, longer than {@link #withMaxLineLength the bound}) is skipped and
 * reported to the sink as a warning with its file and line number; it never fails the read.
 *
 * <pre>{@code
 * try (LogSource source = JsonlLogSource.open(Path.of("exports/"))) {
 *   ExecutionAssembler assembler = new ExecutionAssembler();
 *   source.read(SessionQuery.of("sess-42"), assembler);
 *   ExecutionData data = assembler.snapshot();
 *   SessionPage newest = source.listSessions(SessionListQuery.firstPage(20));
 * }
 * }</pre>
 *
 * <p>Memory per line is bounded whatever the line holds: while the bytes go by, only the fields
 * execflow reads are kept, {@code content_json} cut to {@link ContentCut#DEFAULT_CODE_POINTS}
 * code points (closed again if the cut left a JSON string open, as every source does) and other
 * values to {@link #MAX_VALUE_CHARS} characters (with a {@code value_cut} warning); unknown fields
 * are skipped unread. A read parses only the lines whose {@code session_id} is the one asked
 * for, compared on the bytes as written (a number's digits, an escaped string decoded). Rows of a
 * session are expected in timestamp order: one that goes back in time is still delivered, with an
 * {@code out_of_order_row} warning.
 *
 * <p>Instances are immutable and safe to use from several threads; every read opens its own
 * streams.
 */
public final class JsonlLogSource implements LogSource {
  /** Default bound on one line: longer lines are skipped with a {@code line_too_long} warning. */
  public static final int DEFAULT_MAX_LINE_LENGTH = 16 * 1024 * 1024;

  /** Default bound on the sessions {@link #listSessions} keeps track of in one pass. */
  public static final int DEFAULT_MAX_LISTED_SESSIONS = 100_000;

  /**
   * Bound, in characters, on a value other than {@code content_json} (ids, names, metadata): longer ones are cut
   * with a {@code value_cut} warning. Content is cut to {@link ContentCut#DEFAULT_CODE_POINTS}.
   */
  public static final int MAX_VALUE_CHARS = 64 * 1024;

  private final String description;
  private final Inputs inputs;
  private final List<ColumnMapping> mappings;
  private final RowParser parser;
  private final int maxLineLength;
  private final int maxListedSessions;
  /** Classifies rows for the listing, as the assembler does for the fold. */
  private final Vocabulary vocabulary;
  private volatile boolean closed;

  private JsonlLogSource(String description, Inputs inputs, List<ColumnMapping> mappings,
      int maxLineLength, int maxListedSessions) {
    this(description, inputs, mappings, maxLineLength, maxListedSessions, Vocabulary.defaults());
  }

  private JsonlLogSource(String description, Inputs inputs, List<ColumnMapping> mappings,
      int maxLineLength, int maxListedSessions, Vocabulary vocabulary) {
    this.vocabulary = vocabulary;
    this.description = description;
    this.inputs = inputs;
    this.mappings = List.copyOf(mappings);
    this.parser = new RowParser(this.mappings, ContentCut.DEFAULT_CODE_POINTS);
    this.maxLineLength = maxLineLength;
    this.maxListedSessions = maxListedSessions;
  }

  /**
   * A source over one file (plain or gzipped) or a directory of {@code *.jsonl}, {@code *.jsonl.gz},
   * {@code *.ndjson} and {@code *.ndjson.gz} files (not recursive). A session is read from all
   * of a directory's files at once, merged by timestamp (each file streamed; rows with equal
   * timestamps in {@link RowOrder} order, then by file name), so a session split over files
   * arrives in order; listings read the files one after another.
   *
   * @throws LogSourceException with reason {@link Reason#BAD_INPUT} when the path does not exist
   */
  public static JsonlLogSource open(Path fileOrDirectory) {
    if (Files.isDirectory(fileOrDirectory)) {
      return new JsonlLogSource(fileOrDirectory.toString(), JsonlInputs.directory(fileOrDirectory),
          defaultMappings(), DEFAULT_MAX_LINE_LENGTH, DEFAULT_MAX_LISTED_SESSIONS);
    }
    if (!Files.isRegularFile(fileOrDirectory)) {
      throw new LogSourceException(Reason.BAD_INPUT,
          "No such JSONL file or directory: " + fileOrDirectory.toAbsolutePath());
    }
    List<Input> single = List.of(JsonlInputs.file(fileOrDirectory));
    return new JsonlLogSource(fileOrDirectory.toString(), () -> single, defaultMappings(),
        DEFAULT_MAX_LINE_LENGTH, DEFAULT_MAX_LISTED_SESSIONS);
  }

  /**
   * A source over a stream that can be read once, such as standard input ({@code --jsonl -}):
   * plain or gzipped JSON Lines. The first read or listing consumes it; any later one fails with
   * {@link Reason#BAD_INPUT}. Closing the source does not close the stream.
   *
   * <pre>{@code
   * JsonlLogSource stdin = JsonlLogSource.fromStream(System.in, "standard input");
   * }</pre>
   *
   * @param name what messages and warnings call it
   */
  public static JsonlLogSource fromStream(InputStream stream, String name) {
    List<Input> single = List.of(JsonlInputs.once(stream, name));
    return new JsonlLogSource(name, () -> single, defaultMappings(), DEFAULT_MAX_LINE_LENGTH,
        DEFAULT_MAX_LISTED_SESSIONS);
  }

  /**
   * A source over one classpath resource, e.g. {@code "dev/execflow/samples/simple.jsonl"}.
   *
   * @throws LogSourceException with reason {@link Reason#BAD_INPUT} when there is no such resource
   */
  public static JsonlLogSource fromResource(String classpathResource) {
    return fromResources(List.of(classpathResource));
  }

  /** A source over several classpath resources, read in the given order. */
  public static JsonlLogSource fromResources(List<String> classpathResources) {
    List<Input> fixed = JsonlInputs.resources(classpathResources);
    return new JsonlLogSource("classpath:" + String.join(",", classpathResources), () -> fixed,
        defaultMappings(), DEFAULT_MAX_LINE_LENGTH, DEFAULT_MAX_LISTED_SESSIONS);
  }

  /**
   * A copy that skips lines longer than {@code bytes} (default {@value #DEFAULT_MAX_LINE_LENGTH})
   * with a {@code line_too_long} warning. Memory does not depend on it: lines are never held
   * whole.
   */
  public JsonlLogSource withMaxLineLength(int bytes) {
    if (bytes < 1) {
      throw new IllegalArgumentException("max line length must be positive, was " + bytes);
    }
    return new JsonlLogSource(description, inputs, mappings, bytes, maxListedSessions, vocabulary);
  }

  /**
   * A copy whose {@link #listSessions} tracks at most {@code sessions} sessions per pass (default
   * {@value #DEFAULT_MAX_LISTED_SESSIONS}): beyond it the oldest are left out, and the page's
   * {@link SessionPage#warnings()} say how many.
   */
  public JsonlLogSource withMaxListedSessions(int sessions) {
    if (sessions < 1) {
      throw new IllegalArgumentException("max listed sessions must be positive, was " + sessions);
    }
    return new JsonlLogSource(description, inputs, mappings, maxLineLength, sessions, vocabulary);
  }

  /**
   * A copy that reads column names from {@code mappings} (the first mapping that names a field
   * wins), e.g. for an export with renamed columns; by default both {@link ColumnMapping#WINDLASS}
   * and {@link ColumnMapping#RVBBIT} names are accepted.
   */
  public JsonlLogSource withMappings(ColumnMapping... mappings) {
    return new JsonlLogSource(description, inputs, Arrays.asList(mappings), maxLineLength,
        maxListedSessions, vocabulary);
  }

  /**
   * A copy whose {@link #listSessions} classifies rows with {@code vocabulary}: give it the one
   * the assembler uses ({@code AssemblyOptions.vocabulary()}) so listing and fold agree.
   */
  public JsonlLogSource withVocabulary(Vocabulary vocabulary) {
    return new JsonlLogSource(description, inputs, mappings, maxLineLength, maxListedSessions,
        java.util.Objects.requireNonNull(vocabulary, "vocabulary"));
  }

  private static List<ColumnMapping> defaultMappings() {
    return List.of(ColumnMapping.WINDLASS, ColumnMapping.RVBBIT);
  }

  @Override
  public long read(SessionQuery query, RowSink sink) {
    String id = query.sessionId();
    byte[] wanted = id.getBytes(StandardCharsets.UTF_8);
    double[] latest = {Double.NEGATIVE_INFINITY};
    TieRun ties = new TieRun(sink);
    RowPass.RowHandler deliver = (row, input, line) -> {
      double ts = row.timestamp();
      if (ts < latest[0]) {
        sink.warning(WarningKind.OUT_OF_ORDER_ROW, input.name() + ":" + line + ": timestamp " + ts
            + " is before the previous row's " + latest[0]);
      } else if (ts > latest[0]) {
        latest[0] = ts;
      }
      ties.offer(row); // rows of one timestamp go out in RowOrder, whatever the file's order
    };
    java.util.function.Predicate<LogRow> mine = row -> id.equals(row.sessionId()) && query.covers(row.timestamp());
    List<Input> all = openInputs();
    // every row's content to the query's bound when it asks for it (the line stays bounded by it)
    RowPass pass = query.wantsContent() ? new RowPass(this, query.contentLimit()) : new RowPass(this);
    if (all.size() <= 1) {
      pass.scan(all, wanted, mine, sink, deliver);
    } else {
      pass.merge(all, wanted, mine, sink, deliver);
    }
    ties.flush();
    return ties.delivered();
  }

  private List<Input> openInputs() {
    if (closed) {
      throw new LogSourceException(Reason.UNAVAILABLE, "JSONL source " + description + " is closed");
    }
    return inputs.list();
  }

  /**
   * Lists sessions newest first in one streaming pass over all inputs. Order: first timestamp
   * descending, then session id descending; the cursor encodes the last listed session's (first
   * timestamp, session id). A session's cost counts each LLM call once: the first assistant row
   * of a {@code trace_id} that carries a cost, else that call's {@code cost_update} row (copies
   * are recognised among the last 65,536 priced calls, so memory stays flat). Memory grows only
   * with the number of sessions, up to {@link #withMaxListedSessions the bound}, beyond which the
   * oldest sessions are left out; the page's {@link SessionPage#warnings()} say what was left out
   * (sessions past the bound, lines that could not be read). Status
   * comes from the latest terminal row ({@code cascade_completed}: completed, {@code
   * cascade_failed}/{@code cascade_error}: error), running without one.
   *
   * @throws LogSourceException with reason {@link Reason#BAD_INPUT} for a cursor this source did
   *     not issue
   */
  @Override
  public SessionPage listSessions(SessionListQuery query) {
    JsonlListing listing = new JsonlListing(description, query, vocabulary, maxListedSessions);
    new RowPass(this).scan(openInputs(), null, null, listing.problems(), (row, input, line) -> listing.add(row));
    return listing.page();
  }

  /**
   * Follows a session by byte offset: each poll reads only what was appended to each file since
   * the last (and files new in a directory), so a poll costs the new bytes, not the file. A last
   * line without its newline (a writer mid-write) waits for it without a warning; when it stays
   * unchanged for a poll and is a whole row, it is taken as it is. A file that shrank or was
   * replaced (another file at its path, or other bytes at its start) restarts the follow from the
   * beginning: the sink hears {@link TailSink#restart} and a {@code follow_restarted} warning.
   * Rows are delivered in file order, as {@link #read} delivers them, so no look-back is needed:
   * {@code lookBack} is ignored and late rows are delivered however old. Gzipped files are read
   * again from the start and the rows already delivered skipped.
   */
  @Override
  public SessionTail tail(String sessionId, SessionCursor after, Duration lookBack) {
    return new JsonlTail(this, sessionId, after);
  }

  // for JsonlTail
  String description() {
    return description;
  }

  Inputs inputs() {
    return inputs;
  }

  List<ColumnMapping> mappings() {
    return mappings;
  }

  RowParser parser() {
    return parser;
  }

  int maxLineLength() {
    return maxLineLength;
  }

  boolean isClosed() {
    return closed;
  }

  /** Stops reads in progress (they throw {@link Reason#INTERRUPTED}) and refuses new ones. */
  @Override
  public void close() {
    closed = true;
  }

  @Override
  public String toString() {
    return "JsonlLogSource[" + description + "]";
  }

  // ---- for JsonlTail, which reads a growing file by byte offset ------------------------------

  /** Session ids no JSON writer escapes, so their quoted bytes can prefilter lines. */
  static final Pattern PLAIN_ID = Pattern.compile("[A-Za-z0-9_.:-]+");

  static boolean isBlank(byte[] buf, int off, int len) {
    for (int i = off; i < off + len; i++) {
      byte b = buf[i];
      if (b != ' ' && b != '\t' && b != '\r') {
        return false;
      }
    }
    return true;
  }

  static int indexOf(byte[] buf, int off, int len, byte[] needle) {
    byte first = needle[0];
    int last = off + len - needle.length;
    outer:
    for (int i = off; i <= last; i++) {
      if (buf[i] != first) {
        continue;
      }
      for (int k = 1; k < needle.length; k++) {
        if (buf[i + k] != needle[k]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
