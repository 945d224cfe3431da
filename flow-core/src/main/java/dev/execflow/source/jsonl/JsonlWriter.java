package dev.execflow.source.jsonl;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import dev.execflow.spi.Column;
import dev.execflow.spi.ColumnMapping;
import dev.execflow.spi.LogRow;
import dev.execflow.spi.RowSink;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;

/**
 * Writes rows as JSON Lines in the shape ClickHouse exports {@code unified_logs} with {@code FORMAT
 * JSONEachRow}, so that {@link JsonlLogSource} (or {@code clickhouse-client} with {@code INSERT ...
 * FORMAT JSONEachRow}) reads them back. Null columns are left out; with {@code int64AsStrings}
 * the 64-bit columns ({@code tokens_in}, {@code tokens_out}) are quoted as ClickHouse does.
 *
 * <pre>{@code
 * try (JsonlWriter out = new JsonlWriter(Files.newOutputStream(path))) {
 *   source.read(SessionQuery.of("sess-42"), out);   // copy a session to a file
 * }
 * }</pre>
 */
public final class JsonlWriter implements RowSink, Closeable {
  // plain decimals (1736071200.109, 0.000144), as ClickHouse writes Float64, not 1.736071200109E9
  private static final JsonFactory FACTORY = JsonFactory.builder()
      .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
      .build()
      .setRootValueSeparator("\n");

  private final JsonGenerator out;
  private final String[] names;
  private final boolean int64AsStrings;
  private long rows;
  private boolean finished;

  /** A writer with the first schema's column names and numbers as numbers. */
  public JsonlWriter(OutputStream out) {
    this(out, ColumnMapping.WINDLASS, false);
  }

  /**
   * A writer with {@code mapping}'s column names (columns it maps to null are not written).
   * Closing the writer closes {@code out}.
   */
  public JsonlWriter(OutputStream out, ColumnMapping mapping, boolean int64AsStrings) {
    try {
      this.out = FACTORY.createGenerator(out, JsonEncoding.UTF8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.names = new String[Column.values().length];
    for (Column column : Column.values()) {
      names[column.ordinal()] = mapping.name(column);
    }
    this.int64AsStrings = int64AsStrings;
  }

  /** Writes one row as one line. */
  @Override
  public void accept(LogRow row) {
    if (finished) {
      throw new IllegalStateException("JsonlWriter already finished");
    }
    try {
      out.writeStartObject();
      number(Column.TIMESTAMP, row.timestamp());
      text(Column.SESSION_ID, row.sessionId());
      text(Column.MESSAGE_ID, row.messageId());
      text(Column.TRACE_ID, row.traceId());
      text(Column.PARENT_ID, row.parentId());
      text(Column.NODE_TYPE, row.nodeType());
      text(Column.ROLE, row.role());
      integer(Column.DEPTH, row.depth());
      integer(Column.SOUNDING_INDEX, row.soundingIndex());
      if (row.isWinner() != null && names[Column.IS_WINNER.ordinal()] != null) {
        out.writeNumberField(names[Column.IS_WINNER.ordinal()], row.isWinner() ? 1 : 0);
      }
      integer(Column.WINNING_SOUNDING_INDEX, row.winningSoundingIndex());
      integer(Column.REFORGE_STEP, row.reforgeStep());
      integer(Column.ATTEMPT_NUMBER, row.attemptNumber());
      integer(Column.TURN_NUMBER, row.turnNumber());
      text(Column.PHASE_NAME, row.phaseName());
      text(Column.CASCADE_ID, row.cascadeId());
      text(Column.MODEL, row.model());
      number(Column.COST, row.cost());
      int64(Column.TOKENS_IN, row.tokensIn());
      int64(Column.TOKENS_OUT, row.tokensOut());
      number(Column.DURATION_MS, row.durationMs());
      text(Column.CONTENT_JSON, row.contentJson());
      text(Column.METADATA_JSON, row.metadataJson());
      out.writeEndObject();
      rows++;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void text(Column column, String value) throws IOException {
    String name = names[column.ordinal()];
    if (value != null && name != null) {
      out.writeStringField(name, value);
    }
  }

  private void number(Column column, double value) throws IOException {
    String name = names[column.ordinal()];
    if (!Double.isNaN(value) && name != null) {
      out.writeFieldName(name);
      if (Double.isInfinite(value)) {
        out.writeNumber(value);
      } else {
        out.writeNumber(BigDecimal.valueOf(value));
      }
    }
  }

  private void integer(Column column, int value) throws IOException {
    String name = names[column.ordinal()];
    if (value != LogRow.NO_INT && name != null) {
      out.writeNumberField(name, value);
    }
  }

  private void int64(Column column, long value) throws IOException {
    String name = names[column.ordinal()];
    if (value != LogRow.NO_LONG && name != null) {
      if (int64AsStrings) {
        out.writeStringField(name, Long.toString(value));
      } else {
        out.writeNumberField(name, value);
      }
    }
  }

  /** Rows written so far. */
  public long rows() {
    return rows;
  }

  /**
   * Ends the last line and flushes, leaving the stream open (e.g. to append more sessions with
   * another writer). Write no more rows with this writer afterwards.
   */
  public void finish() {
    try {
      if (rows > 0 && !finished) {
        out.writeRaw('\n');
      }
      finished = true;
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Ends the last line and closes the stream. */
  @Override
  public void close() {
    finish();
    try {
      out.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
