package dev.execflow.assemble;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.execflow.spi.LogRow;
import dev.execflow.spi.WarningCounter;
import dev.execflow.spi.WarningKind;

/**
 * Reads the few top-level fields the fold wants from a row's {@code metadata_json} without building
 * a tree. Each caller names its fields with one of the constant lists below (no varargs on the hot
 * path) and reads them back by position with fixed-arity accessors.
 */
final class MetadataReader {
  static final String[] TURN = {"turn_number", "turn", "max_turns"};
  static final String[] SUB_CASCADE = {"sub_session_id", "child_session_id", "session_id"};
  static final String[] SOUNDING_WINNER = {"winner_index", "winning_sounding_index", "winning_candidate_index"};
  static final String[] REFORGE = {"reforge_step", "step", "winner_index", "winning_index"};
  static final String[] WARD = {"validator", "name", "valid", "reason", "mode"};
  static final String[] WARD_BLOCK = {"ward_type", "kind", "type", "validator", "name", "reason"};
  static final String[] ERROR = {"error", "message", "reason"};

  private final FlatJson json = new FlatJson();

  /**
   * Scans the row's metadata for {@code fields}; malformed metadata is counted and reads as empty.
   */
  void scan(LogRow row, String[] fields, WarningCounter warnings) {
    String text = row.metadataJson();
    if (text == null || text.isBlank()) {
      json.scan("{}", fields);
    } else if (!json.scan(text, fields)) {
      warnings.add(WarningKind.BAD_METADATA_JSON, "a " + RowText.describe(row) + " row's metadata_json is not JSON: "
          + RowJson.preview(text, 40));
      json.scan("{}", fields);
    }
  }

  /** Field {@code i} as an integer, else {@link LogRow#NO_INT}. */
  int intValue(int i) {
    return json.intValue(i);
  }

  /** The first of fields {@code a}, {@code b} that holds an integer, else {@link LogRow#NO_INT}. */
  int firstInt(int a, int b) {
    int v = json.intValue(a);
    return v != LogRow.NO_INT ? v : json.intValue(b);
  }

  int firstInt(int a, int b, int c) {
    int v = firstInt(a, b);
    return v != LogRow.NO_INT ? v : json.intValue(c);
  }

  Boolean boolValue(int i) {
    return json.boolValue(i);
  }

  String stringValue(int i) {
    return json.stringValue(i);
  }

  /** The first of fields {@code a}, {@code b} that is present, as text, else null. */
  String firstString(int a, int b) {
    return json.has(a) ? json.stringValue(a) : json.has(b) ? json.stringValue(b) : null;
  }

  String firstString(int a, int b, int c) {
    return json.has(a) || json.has(b) ? firstString(a, b) : json.has(c) ? json.stringValue(c) : null;
  }

  /** The whole metadata as a tree (for the rare row with a list in it), or null if it is not JSON. */
  JsonNode tree(LogRow row, WarningCounter warnings) {
    try {
      return RowJson.parse(row.metadataJson());
    } catch (JsonProcessingException e) {
      warnings.add(WarningKind.BAD_METADATA_JSON, "a " + RowText.describe(row) + " row's metadata_json is not JSON: "
          + RowJson.preview(row.metadataJson(), 40));
      return null;
    }
  }

  /** An error row's message: from its metadata, else its content, cut to 200 characters. */
  String errorMessage(LogRow row, WarningCounter warnings) {
    scan(row, ERROR, warnings);
    String message = firstString(0, 1, 2);
    if (message == null) {
      message = RowText.nonEmpty(RowJson.contentText(row.contentJson()));
    }
    return message == null ? "error" : RowJson.preview(message, 200);
  }
}
