package dev.execflow.assemble;

import dev.execflow.spi.LogRow;
import java.util.Objects;

/**
 * Recognises a row logged twice: the same timestamp and the same message id, or the same trace id
 * and node type. Only rows of the current timestamp are remembered (bounded), which is where the
 * original logger's copies are.
 */
final class DuplicateWindow {
  private static final int SIZE = 64;

  private double ts = Double.NaN;
  private int size;
  private final String[] messageIds = new String[SIZE];
  private final String[] traceIds = new String[SIZE];
  private final String[] nodeTypes = new String[SIZE];

  /** Whether {@code row} at {@code rowTs} repeats a row of this timestamp; remembers it if not. */
  boolean isDuplicate(LogRow row, double rowTs) {
    if (rowTs != ts) {
      ts = rowTs;
      size = 0;
    }
    String messageId = row.messageId();
    String traceId = row.traceId();
    String nodeType = row.nodeType();
    for (int i = 0; i < size; i++) {
      if (messageId != null && messageId.equals(messageIds[i])) {
        return true;
      }
      if (traceId != null && traceId.equals(traceIds[i]) && Objects.equals(nodeType, nodeTypes[i])) {
        return true;
      }
    }
    if (size < SIZE) {
      messageIds[size] = messageId;
      traceIds[size] = traceId;
      nodeTypes[size] = nodeType;
      size++;
    }
    return false;
  }

  DuplicateWindow copy() {
    DuplicateWindow c = new DuplicateWindow();
    c.take(this);
    return c;
  }

  /** After a later part that folded rows, the window is that part's (its rows are the newest). */
  void absorb(DuplicateWindow later, boolean laterFoldedRows) {
    if (laterFoldedRows) {
      take(later);
    }
  }

  private void take(DuplicateWindow other) {
    ts = other.ts;
    size = other.size;
    System.arraycopy(other.messageIds, 0, messageIds, 0, SIZE);
    System.arraycopy(other.traceIds, 0, traceIds, 0, SIZE);
    System.arraycopy(other.nodeTypes, 0, nodeTypes, 0, SIZE);
  }
}
