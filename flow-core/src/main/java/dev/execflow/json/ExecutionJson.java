package dev.execflow.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.execflow.compare.ExecutionComparison;
import dev.execflow.model.ExecutionData;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * Writes and reads {@link ExecutionData} in the seed's {@code executionData} JSON shape.
 *
 * <pre>{@code
 * String json = ExecutionJson.write(data);          // compact, for an HTTP response
 * String pretty = ExecutionJson.writePretty(data);  // for a person
 * ExecutionData back = ExecutionJson.read(json);    // equal to data
 * }</pre>
 */
public final class ExecutionJson {
  private static final ObjectMapper MAPPER = new ObjectMapper()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
      .registerModule(new com.fasterxml.jackson.databind.module.SimpleModule("plain-numbers")
          .addSerializer(Double.class, new PlainDouble())
          .addSerializer(double.class, new PlainDouble()));

  /**
   * Writes doubles as a person reads them ({@code 0.0005}, {@code 1736071201.25}), not as Java's
   * {@code 5.0E-4}: the same numbers, friendlier to eyes and to naive parsers.
   */
  private static final class PlainDouble extends com.fasterxml.jackson.databind.ser.std.StdSerializer<Double> {
    private static final long serialVersionUID = 1L;

    PlainDouble() {
      super(Double.class);
    }

    @Override
    public void serialize(Double value, com.fasterxml.jackson.core.JsonGenerator gen,
        com.fasterxml.jackson.databind.SerializerProvider provider) throws IOException {
      double v = value;
      if (Double.isNaN(v) || Double.isInfinite(v)) {
        gen.writeNull(); // not JSON numbers; the model never holds them, but never write invalid JSON
      } else {
        gen.writeNumber(java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString());
      }
    }
  }

  private ExecutionJson() {}

  /**
   * A copy of the configured mapper, for embedding {@link ExecutionData} in larger documents: a
   * copy, so that configuring it cannot change how execflow itself writes.
   */
  public static ObjectMapper mapper() {
    return MAPPER.copy();
  }

  public static String write(ExecutionData data) {
    try {
      return MAPPER.writeValueAsString(data);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("ExecutionData could not be written as JSON", e);
    }
  }

  /**
   * A comparison of two runs ({@code ExecutionComparison}) in the same style: the body of the
   * service's {@code /api/compare}.
   *
   * <pre>{@code
   * String json = ExecutionJson.write(ExecutionComparison.of(a, b));
   * }</pre>
   */
  public static String write(ExecutionComparison comparison) {
    try {
      return MAPPER.writeValueAsString(comparison);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("ExecutionComparison could not be written as JSON", e);
    }
  }

  public static String writePretty(ExecutionData data) {
    try {
      return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(data);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("ExecutionData could not be written as JSON", e);
    }
  }

  /** Streams the JSON to {@code out} (left open). */
  public static void write(ExecutionData data, OutputStream out) {
    try {
      MAPPER.writer().without(com.fasterxml.jackson.core.JsonGenerator.Feature.AUTO_CLOSE_TARGET)
          .writeValue(out, data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Reads JSON written by {@link #write}; unknown fields are ignored so that newer writers stay
   * readable.
   *
   * @throws IllegalArgumentException when the text is not executionData JSON
   */
  public static ExecutionData read(String json) {
    try {
      return MAPPER.readValue(json, ExecutionData.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not executionData JSON: " + e.getOriginalMessage(), e);
    }
  }
}
