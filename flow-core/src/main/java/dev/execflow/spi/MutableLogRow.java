package dev.execflow.spi;

/**
 * A settable {@link LogRow}: sources reuse one as their flyweight ({@link #clear()} between rows),
 * tests and generators build rows with its fluent setters and keep {@link #copy()}s.
 *
 * <pre>{@code
 * LogRow row = new MutableLogRow().timestamp(10.0).sessionId("s1").role("assistant")
 *     .nodeType("agent").phaseName("draft").traceId("t1").cost(0.002).copy();
 * }</pre>
 */
public final class MutableLogRow implements LogRow {
  private double timestamp;
  private String sessionId;
  private String traceId;
  private String parentId;
  private String messageId;
  private String nodeType;
  private String role;
  private String phaseName;
  private String cascadeId;
  private String model;
  private int depth;
  private int soundingIndex;
  private int winningSoundingIndex;
  private int reforgeStep;
  private int attemptNumber;
  private int turnNumber;
  private Boolean isWinner;
  private double cost;
  private long tokensIn;
  private long tokensOut;
  private double durationMs;
  private String contentJson;
  private String metadataJson;

  public MutableLogRow() {
    clear();
  }

  /** Sets every column to null. */
  public MutableLogRow clear() {
    timestamp = Double.NaN;
    sessionId = traceId = parentId = messageId = nodeType = role = phaseName = cascadeId = model = null;
    depth = soundingIndex = winningSoundingIndex = reforgeStep = attemptNumber = turnNumber = NO_INT;
    isWinner = null;
    cost = Double.NaN;
    tokensIn = tokensOut = NO_LONG;
    durationMs = Double.NaN;
    contentJson = metadataJson = null;
    return this;
  }

  /** An independent copy of this row. */
  public MutableLogRow copy() {
    return new MutableLogRow().copyFrom(this);
  }

  /** Sets every column from {@code other}. */
  public MutableLogRow copyFrom(LogRow other) {
    timestamp = other.timestamp();
    sessionId = other.sessionId();
    traceId = other.traceId();
    parentId = other.parentId();
    messageId = other.messageId();
    nodeType = other.nodeType();
    role = other.role();
    phaseName = other.phaseName();
    cascadeId = other.cascadeId();
    model = other.model();
    depth = other.depth();
    soundingIndex = other.soundingIndex();
    winningSoundingIndex = other.winningSoundingIndex();
    reforgeStep = other.reforgeStep();
    attemptNumber = other.attemptNumber();
    turnNumber = other.turnNumber();
    isWinner = other.isWinner();
    cost = other.cost();
    tokensIn = other.tokensIn();
    tokensOut = other.tokensOut();
    durationMs = other.durationMs();
    contentJson = other.contentJson();
    metadataJson = other.metadataJson();
    return this;
  }

  @Override public double timestamp() { return timestamp; }
  @Override public String sessionId() { return sessionId; }
  @Override public String traceId() { return traceId; }
  @Override public String parentId() { return parentId; }
  @Override public String messageId() { return messageId; }
  @Override public String nodeType() { return nodeType; }
  @Override public String role() { return role; }
  @Override public String phaseName() { return phaseName; }
  @Override public String cascadeId() { return cascadeId; }
  @Override public String model() { return model; }
  @Override public int depth() { return depth; }
  @Override public int soundingIndex() { return soundingIndex; }
  @Override public int winningSoundingIndex() { return winningSoundingIndex; }
  @Override public int reforgeStep() { return reforgeStep; }
  @Override public int attemptNumber() { return attemptNumber; }
  @Override public int turnNumber() { return turnNumber; }
  @Override public Boolean isWinner() { return isWinner; }
  @Override public double cost() { return cost; }
  @Override public long tokensIn() { return tokensIn; }
  @Override public long tokensOut() { return tokensOut; }
  @Override public double durationMs() { return durationMs; }
  @Override public String contentJson() { return contentJson; }
  @Override public String metadataJson() { return metadataJson; }

  public MutableLogRow timestamp(double v) { timestamp = v; return this; }
  public MutableLogRow sessionId(String v) { sessionId = v; return this; }
  public MutableLogRow traceId(String v) { traceId = v; return this; }
  public MutableLogRow parentId(String v) { parentId = v; return this; }
  public MutableLogRow messageId(String v) { messageId = v; return this; }
  public MutableLogRow nodeType(String v) { nodeType = v; return this; }
  public MutableLogRow role(String v) { role = v; return this; }
  public MutableLogRow phaseName(String v) { phaseName = v; return this; }
  public MutableLogRow cascadeId(String v) { cascadeId = v; return this; }
  public MutableLogRow model(String v) { model = v; return this; }
  public MutableLogRow depth(int v) { depth = v; return this; }
  public MutableLogRow soundingIndex(int v) { soundingIndex = v; return this; }
  public MutableLogRow winningSoundingIndex(int v) { winningSoundingIndex = v; return this; }
  public MutableLogRow reforgeStep(int v) { reforgeStep = v; return this; }
  public MutableLogRow attemptNumber(int v) { attemptNumber = v; return this; }
  public MutableLogRow turnNumber(int v) { turnNumber = v; return this; }
  public MutableLogRow isWinner(Boolean v) { isWinner = v; return this; }
  public MutableLogRow cost(double v) { cost = v; return this; }
  public MutableLogRow tokensIn(long v) { tokensIn = v; return this; }
  public MutableLogRow tokensOut(long v) { tokensOut = v; return this; }
  public MutableLogRow durationMs(double v) { durationMs = v; return this; }
  public MutableLogRow contentJson(String v) { contentJson = v; return this; }
  public MutableLogRow metadataJson(String v) { metadataJson = v; return this; }

  @Override
  public String toString() {
    return "LogRow{ts=" + timestamp + ", node_type=" + nodeType + ", role=" + role + ", phase="
        + phaseName + ", trace=" + traceId + ", parent=" + parentId
        + (messageId != null ? ", message_id=" + messageId : "")
        + (soundingIndex != NO_INT ? ", sounding=" + soundingIndex : "")
        + (reforgeStep != NO_INT ? ", step=" + reforgeStep : "")
        + (isWinner != null ? ", winner=" + isWinner : "")
        + (!Double.isNaN(cost) ? ", cost=" + cost : "")
        + (tokensIn != NO_LONG ? ", in=" + tokensIn : "")
        + (metadataJson != null ? ", meta=" + metadataJson : "")
        + (contentJson != null ? ", content=" + contentJson : "") + "}";
  }

  /**
   * Sets a text column ({@code SESSION_ID} ... {@code MODEL}, {@code CONTENT_JSON}, {@code
   * METADATA_JSON}) by its column: for sources that map result columns generically.
   *
   * @throws IllegalArgumentException for a column that does not hold text
   */
  public MutableLogRow text(Column column, String value) {
    switch (column) {
      case SESSION_ID: return sessionId(value);
      case TRACE_ID: return traceId(value);
      case PARENT_ID: return parentId(value);
      case MESSAGE_ID: return messageId(value);
      case NODE_TYPE: return nodeType(value);
      case ROLE: return role(value);
      case PHASE_NAME: return phaseName(value);
      case CASCADE_ID: return cascadeId(value);
      case MODEL: return model(value);
      case CONTENT_JSON: return contentJson(value);
      case METADATA_JSON: return metadataJson(value);
      default: throw new IllegalArgumentException("not a text column: " + column);
    }
  }

  /**
   * Sets an integer column ({@code DEPTH}, {@code SOUNDING_INDEX}, {@code WINNING_SOUNDING_INDEX},
   * {@code REFORGE_STEP}, {@code ATTEMPT_NUMBER}, {@code TURN_NUMBER}) by its column.
   *
   * @throws IllegalArgumentException for a column that does not hold an {@code int}
   */
  public MutableLogRow integer(Column column, int value) {
    switch (column) {
      case DEPTH: return depth(value);
      case SOUNDING_INDEX: return soundingIndex(value);
      case WINNING_SOUNDING_INDEX: return winningSoundingIndex(value);
      case REFORGE_STEP: return reforgeStep(value);
      case ATTEMPT_NUMBER: return attemptNumber(value);
      case TURN_NUMBER: return turnNumber(value);
      default: throw new IllegalArgumentException("not an integer column: " + column);
    }
  }
}
