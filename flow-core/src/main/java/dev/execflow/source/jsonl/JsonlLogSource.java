package dev.execflow.source.jsonl;

import dev.execflow.assemble.SessionTally;
import dev.execflow.assemble.Vocabulary;
import dev.execflow.model.Status;
import dev.execflow.spi.ColumnMapping;
import dev.execflow.spi.ContentCut;
import dev.execflow.spi.LogRow;
import dev.execflow.spi.LogSource;
import dev.execflow.spi.LogSourceException;
import dev.execflow.spi.LogSourceException.Reason;
import dev.execflow.spi.MutableLogRow;
import dev.execflow.spi.RowOrder;
import dev.execflow.spi.RowSink;
import dev.execflow.spi.SessionListQuery;
import dev.execflow.spi.SessionPage;
import dev.execflow.spi.SessionCursor;
import dev.execflow.spi.SessionQuery;
import dev.execflow.spi.SessionTail;
import dev.execflow.spi.TailSink;
import dev.execflow.spi.SessionSummary;
import dev.execflow.spi.WarningKind;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

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
   * Priced LLM calls remembered while listing, to count a call's cost once when it is copied onto
   * a second row or repeated by a {@code cost_update}. Those come soon after the call, so the most
   * recent calls suffice and memory stays flat.
   */
  private static final int RECENT_PRICED_CALLS = 1 << 16;

  /**
   * Bound, in characters, on a value other than {@code content_json} (ids, names, metadata): longer ones are cut
   * with a {@code value_cut} warning. Content is cut to {@link ContentCut#DEFAULT_CODE_POINTS}.
   */
  public static final int MAX_VALUE_CHARS = 64 * 1024;

  private static final String CURSOR_VERSION = "v1";

  private final String description;
  private final Inputs inputs;
  private final List<ColumnMapping> mappings;
  private final RowParser parser;
  private final int maxLineLength;
  private final int maxListedSessions;
  /** Classifies rows for the listing, as the assembler does for the fold. */
  private final Vocabulary vocabulary;
  private volatile boolean closed;

  /** One named byte stream (a file or a resource). */
  interface Input {
    String name();

    InputStream open() throws IOException;

    /** The file, for inputs that are files (a tail reads them from an offset), else null. */
    default Path path() {
      return null;
    }
  }

  /** The inputs of one pass; a directory is listed again on each pass, so new files are seen. */
  interface Inputs {
    List<Input> list();
  }

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
      return new JsonlLogSource(fileOrDirectory.toString(), () -> listDirectory(fileOrDirectory),
          defaultMappings(), DEFAULT_MAX_LINE_LENGTH, DEFAULT_MAX_LISTED_SESSIONS);
    }
    if (!Files.isRegularFile(fileOrDirectory)) {
      throw new LogSourceException(Reason.BAD_INPUT,
          "No such JSONL file or directory: " + fileOrDirectory.toAbsolutePath());
    }
    List<Input> single = List.of(fileInput(fileOrDirectory));
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
    java.util.Objects.requireNonNull(stream, "stream");
    java.util.concurrent.atomic.AtomicBoolean used = new java.util.concurrent.atomic.AtomicBoolean();
    Input once = new Input() {
      @Override public String name() {
        return name;
      }

      @Override public InputStream open() {
        if (used.getAndSet(true)) {
          throw new LogSourceException(Reason.BAD_INPUT, name + " can be read only once, and was read already");
        }
        return new java.io.FilterInputStream(stream) {
          @Override public void close() {
            // the caller's stream (System.in, say) stays open
          }
        };
      }
    };
    List<Input> single = List.of(once);
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
    List<Input> list = new ArrayList<>();
    for (String resource : classpathResources) {
      String path = resource.startsWith("/") ? resource.substring(1) : resource;
      URL url = classLoader().getResource(path);
      if (url == null) {
        throw new LogSourceException(Reason.BAD_INPUT, "No such classpath resource: " + path);
      }
      list.add(new Input() {
        @Override public String name() {
          return path;
        }

        @Override public InputStream open() throws IOException {
          return url.openStream();
        }
      });
    }
    List<Input> fixed = List.copyOf(list);
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

  private static ClassLoader classLoader() {
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    return context != null ? context : JsonlLogSource.class.getClassLoader();
  }

  private static Input fileInput(Path file) {
    return new Input() {
      @Override public String name() {
        return file.toString();
      }

      @Override public InputStream open() throws IOException {
        return Files.newInputStream(file);
      }

      @Override public Path path() {
        return file;
      }
    };
  }

  private static List<Input> listDirectory(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(f -> {
            String n = f.getFileName().toString();
            return Files.isRegularFile(f) && (n.endsWith(".jsonl") || n.endsWith(".jsonl.gz")
                || n.endsWith(".ndjson") || n.endsWith(".ndjson.gz"));
          })
          .sorted(Comparator.comparing(f -> f.getFileName().toString()))
          .map(JsonlLogSource::fileInput)
          .collect(Collectors.toList());
    } catch (NoSuchFileException e) {
      throw new LogSourceException(Reason.BAD_INPUT, "No such JSONL directory: " + dir.toAbsolutePath());
    } catch (IOException | UncheckedIOException e) {
      throw new LogSourceException(Reason.BAD_INPUT, "Cannot list directory " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Receives each parsed row of a pass (the flyweight) with where it came from. */
  private interface RowHandler {
    void row(MutableLogRow row, Input input, long lineNumber);
  }

  @Override
  public long read(SessionQuery query, RowSink sink) {
    String id = query.sessionId();
    byte[] wanted = id.getBytes(StandardCharsets.UTF_8);
    double[] latest = {Double.NEGATIVE_INFINITY};
    TieRun ties = new TieRun(sink);
    RowHandler deliver = (row, input, line) -> {
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
    if (all.size() <= 1) {
      scan(all, wanted, mine, sink, deliver);
    } else {
      merge(all, wanted, mine, sink, deliver);
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

  /** One streaming pass over every input in turn, each matching row to {@code handler}. */
  private void scan(List<Input> all, byte[] sessionId, java.util.function.Predicate<LogRow> keep,
      RowSink warnings, RowHandler handler) {
    for (Input input : all) {
      try (Cursor c = new Cursor(input, 0, sessionId, keep, warnings, CHUNK)) {
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
  private void merge(List<Input> all, byte[] sessionId, java.util.function.Predicate<LogRow> keep,
      RowSink warnings, RowHandler handler) {
    int chunk = all.size() <= 8 ? CHUNK : Math.max(4096, CHUNK * 8 / all.size());
    java.util.PriorityQueue<Cursor> next = new java.util.PriorityQueue<>((a, b) -> {
      int c = RowOrder.compare(a.row, b.row);
      return c != 0 ? c : Integer.compare(a.index, b.index);
    });
    List<Cursor> open = new ArrayList<>();
    try {
      for (int i = 0; i < all.size(); i++) {
        Cursor c = new Cursor(all.get(i), i, sessionId, keep, warnings, chunk);
        open.add(c);
        if (c.advance()) {
          next.add(c);
        } else {
          c.close();
        }
      }
      while (!next.isEmpty()) {
        Cursor c = next.poll();
        handler.row(c.row, c.input, c.lineNumber);
        if (c.advance()) {
          next.add(c);
        } else {
          c.close();
        }
      }
    } finally {
      for (Cursor c : open) {
        c.close();
      }
    }
  }

  private static final int CHUNK = 64 * 1024;

  /**
   * One input read as a stream of parsed rows: lines projected, the lines of other sessions
   * skipped before parsing, bad lines reported to the sink; the current row in {@link #row}.
   */
  private final class Cursor implements AutoCloseable {
    final Input input;
    final int index;
    final MutableLogRow row = new MutableLogRow();
    long lineNumber;
    private final byte[] sessionId;
    private final java.util.function.Predicate<LogRow> keep;
    private final RowSink warnings;
    private final InputStream in;
    private final LineProjector lines;
    private boolean closedHere;

    Cursor(Input input, int index, byte[] sessionId, java.util.function.Predicate<LogRow> keep,
        RowSink warnings, int chunk) {
      this.input = input;
      this.index = index;
      this.sessionId = sessionId;
      this.keep = keep;
      this.warnings = warnings;
      GzipMembers.Problems gzip = (kind, detail) -> warnings.warning(kind, input.name() + ": " + detail);
      try {
        this.in = decompressed(input.open(), gzip, chunk);
      } catch (IOException e) {
        throw failure(e);
      }
      this.lines = new LineProjector(in, mappings, maxLineLength, ContentCut.DEFAULT_CODE_POINTS,
          MAX_VALUE_CHARS, chunk);
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
          if ((lineNumber & 0xFFF) == 0 && (closed || Thread.currentThread().isInterrupted())) {
            throw new LogSourceException(Reason.INTERRUPTED,
                "Reading " + input.name() + " stopped at line " + lineNumber);
          }
          if (result == LineProjector.BLANK) {
            continue;
          }
          if (result == LineProjector.TOO_LONG) {
            warnings.warning(WarningKind.LINE_TOO_LONG, input.name() + ":" + lineNumber
                + ": longer than " + maxLineLength + " bytes, skipped");
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
            parser.parse(lines.buffer(), 0, lines.length(), row);
          } catch (RowParser.BadLine e) {
            warnings.warning(WarningKind.BAD_JSON_LINE, input.name() + ":" + lineNumber + ": " + e.getMessage());
            continue;
          }
          if (keep != null && !keep.test(row)) {
            continue;
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
      if (e instanceof java.nio.channels.ClosedByInterruptException) {
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

  /**
   * Wraps {@code raw} in a gzip decoder when it starts with the gzip magic bytes; one that says
   * what it did not read (data after the last member, a corrupt member).
   */
  private static InputStream decompressed(InputStream raw, GzipMembers.Problems problems, int buffer)
      throws IOException {
    PushbackInputStream in = new PushbackInputStream(raw, 2);
    byte[] magic = new byte[2];
    int n = in.readNBytes(magic, 0, 2);
    in.unread(magic, 0, n);
    if (n == 2 && (magic[0] & 0xFF) == 0x1F && (magic[1] & 0xFF) == 0x8B) {
      return new GzipMembers(in, problems, buffer);
    }
    return in;
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
    Key after = query.after() == null ? null : Key.decode(query.after());
    Map<String, SessionTally> tallies = new HashMap<>();
    Set<SessionTally.PricedCall> recentlyPriced = Collections.newSetFromMap(new LinkedHashMap<>(1024, 0.75f, true) {
      private static final long serialVersionUID = 1L;

      @Override protected boolean removeEldestEntry(Map.Entry<SessionTally.PricedCall, Boolean> eldest) {
        return size() > RECENT_PRICED_CALLS;
      }
    });
    Cuts cuts = new Cuts(maxListedSessions);
    Map<String, Long> lineProblems = new java.util.TreeMap<>();
    String[] firstProblem = {null};
    RowSink warningCounter = new RowSink() {
      @Override public void accept(LogRow row) {}

      @Override public void warning(String kind, String detail) {
        lineProblems.merge(kind, 1L, Long::sum);
        if (firstProblem[0] == null) {
          firstProblem[0] = detail;
        }
      }
    };
    long[] withoutSession = {0};
    scan(openInputs(), null, null, warningCounter, (row, input, line) -> {
      String id = row.sessionId();
      if (id == null) {
        withoutSession[0]++;
        return;
      }
      SessionTally tally = tallies.get(id);
      if (tally == null) {
        if (cuts.leftOut(id, row.timestamp())) {
          return;
        }
        if (tallies.size() >= cuts.evictAt()) {
          cuts.keepNewest(tallies);
        }
        tally = new SessionTally(id);
        tallies.put(id, tally);
      }
      tally.add(row, vocabulary, recentlyPriced);
    });
    if (tallies.size() > maxListedSessions) {
      cuts.keepNewest(tallies);
    }
    List<String> warnings = new ArrayList<>();
    if (cuts.sessions > 0) {
      warnings.add("more than " + maxListedSessions + " sessions: the newest " + maxListedSessions
          + " are listed, " + cuts.sessions + " older ones (" + cuts.rows + " rows) were left out");
    }
    if (!lineProblems.isEmpty()) {
      long lines = lineProblems.values().stream().mapToLong(Long::longValue).sum();
      warnings.add(lines + " problem" + (lines == 1 ? "" : "s") + " reading " + description + " " + lineProblems
          + "; first: " + firstProblem[0]);
    }
    if (withoutSession[0] > 0) {
      warnings.add(withoutSession[0] + " rows without a session_id were not listed");
    }
    List<SessionTally> matching = new ArrayList<>();
    for (SessionTally t : tallies.values()) {
      if ((query.cascadeId() == null || query.cascadeId().equals(t.cascadeId()))
          && (query.status() == null || query.status() == t.status())
          && (after == null || Key.ORDER.compare(key(t), after) > 0)) {
        matching.add(t);
      }
    }
    matching.sort(Comparator.comparing(JsonlLogSource::key, Key.ORDER));
    List<SessionSummary> page = new ArrayList<>();
    for (int i = 0; i < Math.min(query.limit(), matching.size()); i++) {
      page.add(matching.get(i).summary());
    }
    String next = matching.size() > query.limit() ? key(matching.get(query.limit() - 1)).encode() : null;
    return new SessionPage(page, next, warnings);
  }

  /**
   * The sessions a listing left out to stay within its bound: always the oldest (by first
   * timestamp), so the listing keeps the newest, which an instances grid shows first. Evicted
   * ids go into a Bloom filter of fixed size, so that later rows of an evicted session are left
   * out too instead of starting a partial tally; a false positive leaves a session out, and is
   * counted with the others, never silently.
   */
  private static final class Cuts {
    private final int keep;
    private final long[] bits;
    private double watermark = Double.NEGATIVE_INFINITY;
    long sessions;
    long rows;

    Cuts(int keep) {
      this.keep = keep;
      long n = Math.min(1L << 26, Math.max(1L << 16, (long) keep * 64));
      this.bits = new long[(int) (n / 64)];
    }

    /** Tallies kept between two evictions: a tenth more than the bound (amortizes the sort). */
    int evictAt() {
      return keep + Math.max(1, keep / 10);
    }

    /** Whether a row of a session not tracked belongs to one that was (or would be) left out. */
    boolean leftOut(String id, double ts) {
      boolean evicted = watermark > Double.NEGATIVE_INFINITY && mightContain(id);
      if (evicted || ts < watermark) {
        if (!evicted) {
          sessions++;
          add(id);
        }
        rows++;
        return true;
      }
      return false;
    }

    void keepNewest(Map<String, SessionTally> tallies) {
      List<SessionTally> all = new ArrayList<>(tallies.values());
      all.sort(Comparator.comparing(JsonlLogSource::key, Key.ORDER));
      for (int i = keep; i < all.size(); i++) {
        SessionTally t = all.get(i);
        tallies.remove(t.sessionId());
        add(t.sessionId());
        sessions++;
        rows += t.rows();
        if (!Double.isNaN(t.firstTimestamp())) {
          watermark = Math.max(watermark, t.firstTimestamp());
        }
      }
    }

    private void add(String id) {
      long h = hash(id);
      for (int k = 0; k < 3; k++) {
        long bit = Math.floorMod(h + k * (h >>> 29 | 1), (long) bits.length * 64);
        bits[(int) (bit >>> 6)] |= 1L << (bit & 63);
      }
    }

    private boolean mightContain(String id) {
      long h = hash(id);
      for (int k = 0; k < 3; k++) {
        long bit = Math.floorMod(h + k * (h >>> 29 | 1), (long) bits.length * 64);
        if ((bits[(int) (bit >>> 6)] & (1L << (bit & 63))) == 0) {
          return false;
        }
      }
      return true;
    }

    private static long hash(String id) {
      long h = 0xcbf29ce484222325L;
      for (int i = 0; i < id.length(); i++) {
        h = (h ^ id.charAt(i)) * 0x100000001b3L;
      }
      return h ^ (h >>> 31);
    }
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

  private static Key key(SessionTally tally) {
    return new Key(tally.firstTimestamp(), tally.sessionId());
  }

  /** The sort key of a listed session; NaN first timestamps sort as the oldest. */
  private record Key(double first, String sessionId) {
    /** Newest first, then session id descending. */
    static final Comparator<Key> ORDER = Comparator
        .comparingDouble((Key k) -> Double.isNaN(k.first) ? Double.NEGATIVE_INFINITY : k.first)
        .thenComparing(Key::sessionId)
        .reversed();

    String encode() {
      String plain = CURSOR_VERSION + "\n" + first + "\n" + sessionId;
      return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    static Key decode(String cursor) {
      try {
        String plain = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        String[] parts = plain.split("\n", 3);
        if (parts.length == 3 && parts[0].equals(CURSOR_VERSION)) {
          return new Key(Double.parseDouble(parts[1]), parts[2]);
        }
      } catch (IllegalArgumentException e) {
        // reported below
      }
      throw new LogSourceException(Reason.BAD_INPUT, "Not a session list cursor: " + cursor);
    }
  }

  // ---- for JsonlTail, which reads a growing file by byte offset ------------------------------

  /** Session ids no JSON writer escapes, so their quoted bytes can prefilter lines. */
  static final Pattern PLAIN_ID = Pattern.compile("[A-Za-z0-9_.:-]+");

  /** A decompressed view of {@code raw} for a tail (gzip problems of a growing file are not reported). */
  static InputStream decompressed(InputStream raw) throws IOException {
    return decompressed(raw, (kind, detail) -> { }, CHUNK);
  }

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
