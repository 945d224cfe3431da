package dev.execflow.jmh;

import dev.execflow.testing.SessionGenerator;
import dev.execflow.spi.LogRow;
import dev.execflow.spi.RowSink;
import java.util.HashMap;
import java.util.Map;

/**
 * A session's rows held column by column in arrays, read through one reused {@link Cursor}: the
 * flyweight a real source hands the fold, without the source's decoding cost. Ten million {@link
 * dev.execflow.spi.MutableLogRow} copies would be ~3 GB of scattered objects; here low-cardinality
 * strings (node type, role, phase, model, ids of the session) are shared and the numeric columns
 * are primitive arrays (~250 bytes a row, most of it the per-row trace id and content strings).
 *
 * <pre>{@code
 * RowStore store = RowStore.generate(new SessionGenerator(42), 1_000_000);
 * ExecutionAssembler assembler = store.fold(0, store.size());
 * }</pre>
 */
public final class RowStore {
  private static final byte NULL_FLAG = 0;
  private static final byte FALSE_FLAG = 1;
  private static final byte TRUE_FLAG = 2;

  private final int size;
  private final SessionGenerator.Expected expected;
  private final double[] timestamp;
  private final String[] sessionId;
  private final String[] traceId;
  private final String[] parentId;
  private final String[] messageId;
  private final String[] nodeType;
  private final String[] role;
  private final String[] phaseName;
  private final String[] cascadeId;
  private final String[] model;
  private final int[] depth;
  private final int[] soundingIndex;
  private final int[] winningSoundingIndex;
  private final int[] reforgeStep;
  private final int[] attemptNumber;
  private final int[] turnNumber;
  private final byte[] isWinner;
  private final double[] cost;
  private final long[] tokensIn;
  private final long[] tokensOut;
  private final double[] durationMs;
  private final String[] contentJson;
  private final String[] metadataJson;

  private RowStore(int size, SessionGenerator generator) {
    this.size = size;
    timestamp = new double[size];
    sessionId = new String[size];
    traceId = new String[size];
    parentId = new String[size];
    messageId = new String[size];
    nodeType = new String[size];
    role = new String[size];
    phaseName = new String[size];
    cascadeId = new String[size];
    model = new String[size];
    depth = new int[size];
    soundingIndex = new int[size];
    winningSoundingIndex = new int[size];
    reforgeStep = new int[size];
    attemptNumber = new int[size];
    turnNumber = new int[size];
    isWinner = new byte[size];
    cost = new double[size];
    tokensIn = new long[size];
    tokensOut = new long[size];
    durationMs = new double[size];
    contentJson = new String[size];
    metadataJson = new String[size];
    Loader loader = new Loader();
    expected = generator.generate(size, loader);
    if (loader.n != size) {
      throw new IllegalStateException("generator sent " + loader.n + " rows, expected " + size);
    }
  }

  /** The generator's session of {@code rows} rows, stored. */
  public static RowStore generate(SessionGenerator generator, int rows) {
    return new RowStore(rows, generator);
  }

  public int size() {
    return size;
  }

  /** The generator's totals for the stored session. */
  public SessionGenerator.Expected expected() {
    return expected;
  }

  public double timestamp(int row) {
    return timestamp[row];
  }

  /** A new flyweight over this store, positioned before the first row. */
  public Cursor cursor() {
    return new Cursor();
  }

  /** Hands rows {@code [from, to)} to {@code sink} through one flyweight. */
  public void replay(int from, int to, RowSink sink) {
    Cursor row = new Cursor();
    for (int i = from; i < to; i++) {
      row.i = i;
      sink.accept(row);
    }
  }

  /**
   * Where to cut the session into {@code parts} contiguous time ranges of about equal size: each
   * cut is moved forward until it falls between two distinct timestamps (what {@link
   * dev.execflow.assemble.ExecutionAssembler#merge} requires). Returns {@code parts + 1} bounds.
   */
  public int[] split(int parts) {
    int[] bounds = new int[parts + 1];
    bounds[parts] = size;
    for (int k = 1; k < parts; k++) {
      int cut = Math.max(bounds[k - 1] + 1, (int) ((long) size * k / parts));
      while (cut < size && timestamp[cut - 1] == timestamp[cut]) {
        cut++;
      }
      bounds[k] = Math.min(cut, size);
    }
    return bounds;
  }

  /** Copies each generated row into the columns, sharing repeated low-cardinality strings. */
  private final class Loader implements RowSink {
    private final Map<String, String> shared = new HashMap<>();
    int n;

    private String share(String s) {
      if (s == null) {
        return null;
      }
      String known = shared.putIfAbsent(s, s);
      return known != null ? known : s;
    }

    @Override
    public void accept(LogRow r) {
      int i = n++;
      timestamp[i] = r.timestamp();
      sessionId[i] = share(r.sessionId());
      // generated trace and parent ids are distinct String objects already shared by reference
      traceId[i] = r.traceId();
      parentId[i] = r.parentId();
      messageId[i] = r.messageId();
      nodeType[i] = share(r.nodeType());
      role[i] = share(r.role());
      phaseName[i] = share(r.phaseName());
      cascadeId[i] = share(r.cascadeId());
      model[i] = share(r.model());
      depth[i] = r.depth();
      soundingIndex[i] = r.soundingIndex();
      winningSoundingIndex[i] = r.winningSoundingIndex();
      reforgeStep[i] = r.reforgeStep();
      attemptNumber[i] = r.attemptNumber();
      turnNumber[i] = r.turnNumber();
      Boolean w = r.isWinner();
      isWinner[i] = w == null ? NULL_FLAG : w ? TRUE_FLAG : FALSE_FLAG;
      cost[i] = r.cost();
      tokensIn[i] = r.tokensIn();
      tokensOut[i] = r.tokensOut();
      durationMs[i] = r.durationMs();
      contentJson[i] = r.contentJson();
      metadataJson[i] = r.metadataJson();
    }
  }

  /** The flyweight: a row number into the columns. Valid until {@link #position} moves it. */
  public final class Cursor implements LogRow {
    private int i = -1;

    public Cursor position(int row) {
      i = row;
      return this;
    }

    @Override public double timestamp() { return timestamp[i]; }
    @Override public String sessionId() { return sessionId[i]; }
    @Override public String traceId() { return traceId[i]; }
    @Override public String parentId() { return parentId[i]; }
    @Override public String messageId() { return messageId[i]; }
    @Override public String nodeType() { return nodeType[i]; }
    @Override public String role() { return role[i]; }
    @Override public String phaseName() { return phaseName[i]; }
    @Override public String cascadeId() { return cascadeId[i]; }
    @Override public String model() { return model[i]; }
    @Override public int depth() { return depth[i]; }
    @Override public int soundingIndex() { return soundingIndex[i]; }
    @Override public int winningSoundingIndex() { return winningSoundingIndex[i]; }
    @Override public int reforgeStep() { return reforgeStep[i]; }
    @Override public int attemptNumber() { return attemptNumber[i]; }
    @Override public int turnNumber() { return turnNumber[i]; }

    @Override
    public Boolean isWinner() {
      byte w = isWinner[i];
      return w == NULL_FLAG ? null : w == TRUE_FLAG ? Boolean.TRUE : Boolean.FALSE;
    }

    @Override public double cost() { return cost[i]; }
    @Override public long tokensIn() { return tokensIn[i]; }
    @Override public long tokensOut() { return tokensOut[i]; }
    @Override public double durationMs() { return durationMs[i]; }
    @Override public String contentJson() { return contentJson[i]; }
    @Override public String metadataJson() { return metadataJson[i]; }
  }
}
