package dev.execflow.source.jsonl;

import dev.execflow.assemble.SessionTally;
import dev.execflow.assemble.Vocabulary;
import dev.execflow.model.Status;
import dev.execflow.spi.ColumnMapping;
import dev.execflow.spi.LogRow;
import dev.execflow.spi.LogSource;
import dev.execflow.spi.LogSourceException;
import dev.execflow.spi.LogSourceException.Reason;
import dev.execflow.spi.MutableLogRow;
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
import java.util.zip.GZIPInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * <p>A read parses only lines that contain the quoted session id when the id is made of letters,
 * digits and {@code _.:-} (characters no JSON writer escapes); other ids are compared after
 * parsing every line. Rows of a session are expected in timestamp order: one that goes back in
 * time is still delivered, with an {@code out_of_order_row} warning.
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

  private static final Logger LOG = LoggerFactory.getLogger(JsonlLogSource.class);

  /** Session ids no JSON writer escapes, so their quoted bytes can prefilter lines. */
  static final Pattern PLAIN_ID = Pattern.compile("[A-Za-z0-9_.:-]+");

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
    this.parser = new RowParser(this.mappings);
    this.maxLineLength = maxLineLength;
    this.maxListedSessions = maxListedSessions;
  }

  /**
   * A source over one file (plain or gzipped) or a directory of {@code *.jsonl}, {@code *.jsonl.gz},
   * {@code *.ndjson} and {@code *.ndjson.gz} files (not recursive, read in name order).
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
   * A copy that skips lines longer than {@code bytes} (default {@value #DEFAULT_MAX_LINE_LENGTH}).
   * The bound is also the most memory one read's line buffer can take.
   */
  public JsonlLogSource withMaxLineLength(int bytes) {
    if (bytes < 1) {
      throw new IllegalArgumentException("max line length must be positive, was " + bytes);
    }
    return new JsonlLogSource(description, inputs, mappings, bytes, maxListedSessions, vocabulary);
  }

  /**
   * A copy whose {@link #listSessions} tracks at most {@code sessions} sessions per pass (default
   * {@value #DEFAULT_MAX_LISTED_SESSIONS}); later ones are left out with a logged warning.
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
    byte[] needle = PLAIN_ID.matcher(id).matches()
        ? ("\"" + id + "\"").getBytes(StandardCharsets.UTF_8) : null;
    long[] delivered = {0};
    double[] latest = {Double.NEGATIVE_INFINITY};
    scan(needle, sink, (row, input, line) -> {
      if (!id.equals(row.sessionId()) || !query.covers(row.timestamp())) {
        return;
      }
      double ts = row.timestamp();
      if (ts < latest[0]) {
        sink.warning(WarningKind.OUT_OF_ORDER_ROW, input.name() + ":" + line + ": timestamp " + ts
            + " is before the previous row's " + latest[0]);
      } else if (ts > latest[0]) {
        latest[0] = ts;
      }
      delivered[0]++;
      sink.accept(row);
    });
    return delivered[0];
  }

  /**
   * One streaming pass over every input: split lines, optionally skip those lacking {@code
   * needle}, parse the rest into one reused row.
   */
  private void scan(byte[] needle, RowSink warnings, RowHandler handler) {
    if (closed) {
      throw new LogSourceException(Reason.UNAVAILABLE, "JSONL source " + description + " is closed");
    }
    MutableLogRow row = new MutableLogRow();
    for (Input input : inputs.list()) {
      try (InputStream in = decompressed(input.open())) {
        LineReader lines = new LineReader(in, maxLineLength);
        int result;
        while ((result = lines.next()) != LineReader.EOF) {
          long lineNumber = lines.lineNumber();
          if ((lineNumber & 0xFFF) == 0 && (closed || Thread.currentThread().isInterrupted())) {
            throw new LogSourceException(Reason.INTERRUPTED,
                "Reading " + input.name() + " stopped at line " + lineNumber);
          }
          if (result == LineReader.TOO_LONG) {
            warnings.warning(WarningKind.LINE_TOO_LONG, input.name() + ":" + lineNumber
                + ": longer than " + maxLineLength + " bytes, skipped");
            continue;
          }
          byte[] buf = lines.buffer();
          int off = lines.lineStart();
          int len = lines.lineLength();
          if (isBlank(buf, off, len) || (needle != null && indexOf(buf, off, len, needle) < 0)) {
            continue;
          }
          try {
            parser.parse(buf, off, len, row);
          } catch (RowParser.BadLine e) {
            warnings.warning(WarningKind.BAD_JSON_LINE, input.name() + ":" + lineNumber + ": " + e.getMessage());
            continue;
          }
          handler.row(row, input, lineNumber);
        }
      } catch (EOFException e) {
        // typically a gzip file still being written: keep what was read, say what was not
        warnings.warning(WarningKind.TRUNCATED_FILE, input.name() + ": ends early (" + e.getMessage() + ")");
      } catch (NoSuchFileException e) {
        throw new LogSourceException(Reason.BAD_INPUT, "No such JSONL file: " + input.name(), e);
      } catch (IOException e) {
        throw new LogSourceException(Reason.BAD_INPUT, "Cannot read " + input.name() + ": " + e.getMessage(), e);
      }
    }
  }

  /** Wraps {@code raw} in a gzip decoder when it starts with the gzip magic bytes. */
  static InputStream decompressed(InputStream raw) throws IOException {
    PushbackInputStream in = new PushbackInputStream(raw, 2);
    byte[] magic = new byte[2];
    int n = in.readNBytes(magic, 0, 2);
    in.unread(magic, 0, n);
    if (n == 2 && (magic[0] & 0xFF) == 0x1F && (magic[1] & 0xFF) == 0x8B) {
      return new GZIPInputStream(in, 64 * 1024);
    }
    return in;
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

  /**
   * Lists sessions newest first in one streaming pass over all inputs. Order: first timestamp
   * descending, then session id descending; the cursor encodes the last listed session's (first
   * timestamp, session id). A session's cost counts each LLM call once: the first assistant row
   * of a {@code trace_id} that carries a cost, else that call's {@code cost_update} row (copies
   * are recognised among the last 65,536 priced calls, so memory stays flat). Memory grows only
   * with the number of sessions, up to {@link #withMaxListedSessions the bound}. Status
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
    long[] droppedRows = {0};
    long[] warnings = {0};
    Set<SessionTally.PricedCall> recentlyPriced = Collections.newSetFromMap(new LinkedHashMap<>(1024, 0.75f, true) {
      private static final long serialVersionUID = 1L;

      @Override protected boolean removeEldestEntry(Map.Entry<SessionTally.PricedCall, Boolean> eldest) {
        return size() > RECENT_PRICED_CALLS;
      }
    });
    RowSink warningCounter = new RowSink() {
      @Override public void accept(LogRow row) {}

      @Override public void warning(String kind, String detail) {
        if (warnings[0]++ == 0) {
          LOG.warn("Listing {}: {} ({}) - further line warnings are only counted", description, detail, kind);
        }
      }
    };
    scan(null, warningCounter, (row, input, line) -> {
      String id = row.sessionId();
      if (id == null) {
        return;
      }
      SessionTally tally = tallies.get(id);
      if (tally == null) {
        if (tallies.size() >= maxListedSessions) {
          droppedRows[0]++;
          return;
        }
        tally = new SessionTally(id);
        tallies.put(id, tally);
      }
      tally.add(row, vocabulary, recentlyPriced);
    });
    if (droppedRows[0] > 0) {
      LOG.warn("Listing {}: more than {} sessions; {} rows of further sessions were left out",
          description, maxListedSessions, droppedRows[0]);
    }
    if (warnings[0] > 1) {
      LOG.warn("Listing {}: {} lines skipped", description, warnings[0]);
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
    return new SessionPage(page, next);
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

}
