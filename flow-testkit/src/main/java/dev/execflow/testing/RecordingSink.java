package dev.execflow.testing;

import dev.execflow.spi.LogRow;
import dev.execflow.spi.MutableLogRow;
import dev.execflow.spi.RowSink;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Keeps a copy of every row and every warning a source delivers, for assertions.
 *
 * <pre>{@code
 * RecordingSink sink = new RecordingSink();
 * source.read(SessionQuery.of("s1"), sink);
 * assertThat(sink.nodeTypes()).containsExactly("cascade", "phase");
 * assertThat(sink.warnings).containsExactly("bad_json_line: s1.jsonl:3: ...");
 * }</pre>
 */
public final class RecordingSink implements RowSink {
  /** Copies of the rows, in delivery order. */
  public final List<MutableLogRow> rows = new ArrayList<>();
  /** The warnings, each as {@code "kind: detail"}. */
  public final List<String> warnings = new ArrayList<>();

  @Override
  public void accept(LogRow row) {
    rows.add(new MutableLogRow().copyFrom(row));
  }

  @Override
  public void warning(String kind, String detail) {
    warnings.add(kind + ": " + detail);
  }

  /** The node type of each row. */
  public List<String> nodeTypes() {
    List<String> types = new ArrayList<>();
    rows.forEach(row -> types.add(row.nodeType()));
    return types;
  }

  /** Each row as {@link LogRows#asMap}. */
  public List<Map<String, Object>> maps(boolean includeContent) {
    List<Map<String, Object>> out = new ArrayList<>();
    rows.forEach(row -> out.add(LogRows.asMap(row, includeContent)));
    return out;
  }
}
