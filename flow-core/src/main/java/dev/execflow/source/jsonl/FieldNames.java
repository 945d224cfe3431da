package dev.execflow.source.jsonl;

import dev.execflow.spi.Column;
import dev.execflow.spi.ColumnMapping;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The JSON field names execflow reads, under every mapping, matched on a key's raw bytes. */
final class FieldNames {
  private final Map<String, Column> columns = new HashMap<>();
  private final byte[][] names;
  private final Column[] nameColumns;

  /** The first mapping that names a column wins. */
  FieldNames(List<ColumnMapping> mappings) {
    for (ColumnMapping mapping : mappings) {
      mapping.names().forEach((c, name) -> {
        if (name != null) {
          columns.putIfAbsent(name, c);
        }
      });
    }
    names = new byte[columns.size()][];
    nameColumns = new Column[columns.size()];
    int i = 0;
    for (Map.Entry<String, Column> e : columns.entrySet()) {
      names[i] = e.getKey().getBytes(StandardCharsets.UTF_8);
      nameColumns[i] = e.getValue();
      i++;
    }
  }

  /** The column a key written without escapes names, or null. */
  Column byName(byte[] key, int keyLen) {
    for (int i = 0; i < names.length; i++) {
      if (names[i].length == keyLen && Arrays.equals(names[i], 0, keyLen, key, 0, keyLen)) {
        return nameColumns[i];
      }
    }
    return null;
  }

  /** A key written with escapes (rare): decoded the way the JSON parser will. */
  Column byDecodedName(byte[] key, int keyLen) {
    String decoded = JsonStrings.decode(key, 0, keyLen);
    return decoded == null ? null : columns.get(decoded);
  }
}
