package dev.execflow.spi;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The {@link SessionTail} of any {@link LogSource} that reads time ranges: each poll reads the
 * session from its cursor minus the look-back window ({@link SessionQuery#from}) and drops the
 * rows it already delivered, so late rows are delivered once and never lost while they are within
 * the window (see {@link SessionTail}'s guarantee). What it remembers is the keys of the rows in
 * the window, so memory grows with the rows of {@code W} seconds, not with the session; a source
 * whose time-range read uses an index (ClickHouse's primary key) reads only the tail.
 *
 * <pre>{@code
 * SessionTail tail = new CursorTail(source, "sess-42", SessionCursor.START, Duration.ofSeconds(5));
 * long fresh = tail.poll(TailSink.of(assembler));
 * }</pre>
 *
 * <p>Rows without a usable timestamp are part of every range a source reads; their keys are kept
 * for the tail's life, so they too are delivered once. A source's warnings that a re-read repeats
 * (a bad value in a row of the window) are forwarded once: they are keyed by kind, text (numbers
 * aside, as a row's ordinal in the read changes) and the time of the row before them.
 */
public final class CursorTail implements SessionTail {
  private static final Pattern DIGITS = Pattern.compile("[0-9]+");
  private static final Double NO_TIME = Double.NEGATIVE_INFINITY;

  private final LogSource source;
  private final String sessionId;
  private final double lookBack;
  /** Rows at or before it were delivered by an earlier tail (a resumed follow). */
  private final SessionCursor floor;
  private SessionCursor cursor;
  /** Keys of what was delivered in the window (and of rows without a time), with copy counts. */
  private final TreeMap<Double, Map<String, int[]>> delivered = new TreeMap<>();

  /**
   * A tail of {@code sessionId} after {@code after} ({@link SessionCursor#START} for the whole
   * session).
   *
   * @param lookBack how far behind the cursor each poll re-reads; zero trusts rows to become
   *     visible in order
   */
  public CursorTail(LogSource source, String sessionId, SessionCursor after, Duration lookBack) {
    this.source = Objects.requireNonNull(source, "source");
    this.sessionId = Objects.requireNonNull(sessionId, "sessionId");
    this.floor = Objects.requireNonNull(after, "after");
    this.cursor = after;
    if (lookBack.isNegative()) {
      throw new IllegalArgumentException("look-back window cannot be negative: " + lookBack);
    }
    this.lookBack = lookBack.toNanos() / 1e9;
  }

  @Override
  public long poll(TailSink sink) {
    double from = from();
    Read read = new Read(sink, from);
    source.read(SessionQuery.of(sessionId).from(from), read);
    evict(from);
    return read.count;
  }

  /**
   * Polls several tails of one source with one {@link LogSource#readSessions} request (one query
   * for all of them where the store can), each delivering to its own sink as its {@link #poll}
   * would. A failure throws; every tail stays usable, and what each delivered before stands.
   *
   * <pre>{@code
   * long[] fresh = CursorTail.pollAll(source, List.of(tailA, tailB), List.of(sinkA, sinkB));
   * }</pre>
   *
   * @param tails tails of {@code source}, of distinct sessions
   * @return rows each tail delivered, in the order of {@code tails}
   * @throws IllegalArgumentException for a tail of another source or two tails of one session
   */
  public static long[] pollAll(LogSource source, List<CursorTail> tails, List<? extends TailSink> sinks) {
    if (tails.size() != sinks.size()) {
      throw new IllegalArgumentException("one sink per tail");
    }
    List<SessionQuery> queries = new ArrayList<>(tails.size());
    Map<String, Read> reads = new HashMap<>();
    double[] froms = new double[tails.size()];
    Read[] byIndex = new Read[tails.size()];
    for (int i = 0; i < tails.size(); i++) {
      CursorTail t = tails.get(i);
      if (t.source != source) {
        throw new IllegalArgumentException("a tail of another source: " + t.sessionId);
      }
      froms[i] = t.from();
      byIndex[i] = t.new Read(sinks.get(i), froms[i]);
      if (reads.put(t.sessionId, byIndex[i]) != null) {
        throw new IllegalArgumentException("two tails of session " + t.sessionId);
      }
      queries.add(SessionQuery.of(t.sessionId).from(froms[i]));
    }
    RowSink nowhere = row -> {};
    source.readSessions(queries, id -> {
      Read r = reads.get(id);
      return r != null ? r : nowhere;
    });
    long[] counts = new long[tails.size()];
    for (int i = 0; i < tails.size(); i++) {
      tails.get(i).evict(froms[i]);
      counts[i] = byIndex[i].count;
    }
    return counts;
  }

  /** Where the next read starts: the look-back window behind the cursor (NaN: the whole session). */
  private double from() {
    return cursor.timestamp() == Double.NEGATIVE_INFINITY ? Double.NaN : cursor.timestamp() - lookBack;
  }

  /** Forgets what the next poll cannot read again (it starts at the cursor minus the window). */
  private void evict(double from) {
    prune(delivered, cursor.timestamp() - lookBack);
  }

  /** Drops the keys of rows older than {@code before}; those of rows without a time stay. */
  private static void prune(TreeMap<Double, Map<String, int[]>> keys, double before) {
    Iterator<Map.Entry<Double, Map<String, int[]>>> old = keys.headMap(before, false).entrySet().iterator();
    while (old.hasNext()) {
      if (!old.next().getKey().equals(NO_TIME)) {
        old.remove();
      }
    }
  }

  /** Keys remembered for dropping rows read again (bounded by the window's rows), for tests and metrics. */
  public int rememberedKeys() {
    int n = 0;
    for (Map<String, int[]> atTs : delivered.values()) {
      n += atTs.size();
    }
    return n;
  }

  /** The source this tail reads. */
  public LogSource source() {
    return source;
  }

  @Override
  public SessionCursor cursor() {
    return cursor;
  }

  @Override
  public boolean deliversLateRows() {
    return true;
  }

  /** Rows of {@link #delivered} with this time, or of this read so far. */
  private static int bump(TreeMap<Double, Map<String, int[]>> counts, double ts, String key) {
    return ++counts.computeIfAbsent(ts, t -> new HashMap<>()).computeIfAbsent(key, k -> new int[1])[0];
  }

  private int deliveredCount(double ts, String key) {
    Map<String, int[]> atTs = delivered.get(ts);
    int[] n = atTs == null ? null : atTs.get(key);
    return n == null ? 0 : n[0];
  }

  /** One poll's read: counts each key's copies and forwards those beyond the delivered count. */
  private final class Read implements RowSink {
    private final TailSink sink;
    private final TreeMap<Double, Map<String, int[]>> seen = new TreeMap<>();
    private double lastTs;
    long count;

    Read(TailSink sink, double from) {
      this.sink = sink;
      this.lastTs = Double.isNaN(from) ? NO_TIME : from;
    }

    @Override
    public void accept(LogRow row) {
      double ts = SessionCursor.orderTimestamp(row.timestamp());
      if (ts > lastTs) {
        lastTs = ts;
      }
      if (floor != SessionCursor.START && !floor.precedes(row)) {
        return;
      }
      String key = SessionCursor.rowKey(row);
      if (bump(seen, ts, key) <= deliveredCount(ts, key)) {
        return;
      }
      bump(delivered, ts, key);
      cursor = cursor.advancedTo(row);
      if ((++count & 0xFFF) == 0) {
        // rows come in time order: what lies a window behind this row is needed by neither this
        // read nor the next, so a first read of a long session keeps only a window of keys
        prune(seen, lastTs - lookBack);
        prune(delivered, lastTs - lookBack);
      }
      sink.accept(row);
    }

    @Override
    public void warning(String kind, String detail) {
      String key = "w:" + kind + ":" + DIGITS.matcher(detail).replaceAll("#");
      if (bump(seen, lastTs, key) <= deliveredCount(lastTs, key)) {
        return;
      }
      bump(delivered, lastTs, key);
      sink.warning(kind, detail);
    }
  }
}
