package dev.execflow.source.jsonl;

import dev.execflow.spi.LogRow;
import dev.execflow.spi.MutableLogRow;
import dev.execflow.spi.RowSink;
import java.util.ArrayList;
import java.util.List;

/** Keeps copies of the rows and the warnings a source delivers, for assertions. */
final class RecordingSink implements RowSink {
  final List<LogRow> rows = new ArrayList<>();
  final List<String> warnings = new ArrayList<>();

  @Override
  public void accept(LogRow row) {
    rows.add(new MutableLogRow().copyFrom(row));
  }

  @Override
  public void warning(String kind, String detail) {
    warnings.add(kind + " " + detail);
  }

  List<String> nodeTypes() {
    List<String> types = new ArrayList<>();
    for (LogRow row : rows) {
      types.add(row.nodeType());
    }
    return types;
  }
}
