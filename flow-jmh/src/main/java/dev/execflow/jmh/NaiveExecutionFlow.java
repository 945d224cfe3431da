package dev.execflow.jmh;

import dev.execflow.spi.LogRow;
import dev.execflow.spi.RowSink;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The baseline: what the original Python endpoint did, in Java. Every row is materialised as a
 * {@code Map<String, Object>} (a driver's dict row, values boxed), the whole session is kept in a
 * list, then grouped by {@code phase_name} and each group is scanned for its metrics. It is as
 * naive as the original (rows without {@code phase_name} fall out of the phases, each cost row
 * counts), but does the same kind of work per phase, so the ratio to the fold is fair.
 *
 * <pre>{@code
 * NaiveExecutionFlow naive = new NaiveExecutionFlow();
 * store.replay(0, store.size(), naive);
 * Map<String, Object> executionData = naive.result();
 * }</pre>
 */
public final class NaiveExecutionFlow implements RowSink {
  private final List<Map<String, Object>> rows = new ArrayList<>();

  @Override
  public void accept(LogRow r) {
    Map<String, Object> m = new HashMap<>(32);
    m.put("timestamp", nullable(r.timestamp()));
    m.put("session_id", r.sessionId());
    m.put("trace_id", r.traceId());
    m.put("parent_id", r.parentId());
    m.put("message_id", r.messageId());
    m.put("node_type", r.nodeType());
    m.put("role", r.role());
    m.put("phase_name", r.phaseName());
    m.put("cascade_id", r.cascadeId());
    m.put("model", r.model());
    m.put("depth", nullable(r.depth()));
    m.put("sounding_index", nullable(r.soundingIndex()));
    m.put("winning_sounding_index", nullable(r.winningSoundingIndex()));
    m.put("reforge_step", nullable(r.reforgeStep()));
    m.put("attempt_number", nullable(r.attemptNumber()));
    m.put("turn_number", nullable(r.turnNumber()));
    m.put("is_winner", r.isWinner());
    m.put("cost", nullable(r.cost()));
    m.put("tokens_in", nullable(r.tokensIn()));
    m.put("tokens_out", nullable(r.tokensOut()));
    m.put("duration_ms", nullable(r.durationMs()));
    m.put("content_json", r.contentJson());
    m.put("metadata_json", r.metadataJson());
    rows.add(m);
  }

  private static Double nullable(double v) {
    return Double.isNaN(v) ? null : v;
  }

  private static Integer nullable(int v) {
    return v == LogRow.NO_INT ? null : v;
  }

  private static Long nullable(long v) {
    return v == LogRow.NO_LONG ? null : v;
  }

  public int rowCount() {
    return rows.size();
  }

  /** Groups the kept rows by phase and computes the executionData-like result. */
  public Map<String, Object> result() {
    Map<String, List<Map<String, Object>>> byPhase = new LinkedHashMap<>();
    List<String> path = new ArrayList<>();
    String last = null;
    for (Map<String, Object> row : rows) {
      String phase = (String) row.get("phase_name");
      if (phase == null || phase.isEmpty()) {
        continue;
      }
      byPhase.computeIfAbsent(phase, k -> new ArrayList<>()).add(row);
      if (!phase.equals(last)) {
        path.add(phase);
        last = phase;
      }
    }
    Map<String, Object> phases = new LinkedHashMap<>();
    double totalCost = 0;
    for (Map.Entry<String, List<Map<String, Object>>> e : byPhase.entrySet()) {
      Map<String, Object> p = phase(e.getValue());
      totalCost += (Double) p.get("cost");
      phases.put(e.getKey(), p);
    }
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("phaseCount", phases.size());
    summary.put("totalCost", totalCost);
    double first = (Double) rows.get(0).get("timestamp");
    double end = (Double) rows.get(rows.size() - 1).get("timestamp");
    summary.put("totalDuration", end - first);
    Object lastType = rows.get(rows.size() - 1).get("node_type");
    summary.put("status", "cascade_completed".equals(lastType) ? "completed"
        : "cascade_failed".equals(lastType) ? "error" : "running");
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("executedPath", path);
    data.put("phases", phases);
    data.put("summary", summary);
    return data;
  }

  private static Map<String, Object> phase(List<Map<String, Object>> rows) {
    double cost = 0;
    double first = Double.MAX_VALUE;
    double lastTs = -Double.MAX_VALUE;
    int maxTurn = -1;
    String status = "completed";
    Integer winner = null;
    Map<Integer, Map<String, Object>> attempts = new TreeMap<>();
    Map<Integer, Map<String, Object>> steps = new TreeMap<>();
    for (Map<String, Object> row : rows) {
      double ts = (Double) row.get("timestamp");
      first = Math.min(first, ts);
      lastTs = Math.max(lastTs, ts);
      Object c = row.get("cost");
      if (c != null) {
        cost += (Double) c;
      }
      Integer turn = (Integer) row.get("turn_number");
      if (turn != null) {
        maxTurn = Math.max(maxTurn, turn);
      }
      String nodeType = (String) row.get("node_type");
      String role = (String) row.get("role");
      if ("phase_complete".equals(role)) {
        status = "completed";
      } else if ("phase_error".equals(nodeType) || "error".equals(role)) {
        status = "error";
      }
      Integer step = (Integer) row.get("reforge_step");
      Integer sounding = (Integer) row.get("sounding_index");
      if (step != null) {
        Map<String, Object> s = steps.computeIfAbsent(step, k -> new LinkedHashMap<>());
        s.put("step", step);
        s.merge("cost", c == null ? 0.0 : c, (a, b) -> (Double) a + (Double) b);
        if (Boolean.TRUE.equals(row.get("is_winner"))) {
          s.put("winnerIndex", sounding);
        }
      } else if (sounding != null) {
        Map<String, Object> a = attempts.computeIfAbsent(sounding, k -> new LinkedHashMap<>());
        a.put("index", sounding);
        a.merge("cost", c == null ? 0.0 : c, (x, y) -> (Double) x + (Double) y);
        if ("sounding_attempt".equals(nodeType)) {
          String content = (String) row.get("content_json");
          a.put("status", "completed");
          a.put("preview", content == null ? "" : content.substring(0, Math.min(50, content.length())));
        }
      }
      Integer w = (Integer) row.get("winning_sounding_index");
      if (w != null) {
        winner = w;
      } else if ("evaluator".equals(nodeType)) {
        String meta = (String) row.get("metadata_json");
        int at = meta == null ? -1 : meta.indexOf("\"winner_index\": ");
        if (at >= 0) {
          winner = meta.charAt(at + 16) - '0';
        }
      }
    }
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("status", status);
    p.put("cost", cost);
    p.put("duration", lastTs - first);
    p.put("turnCount", maxTurn + 1);
    p.put("soundingWinner", winner);
    p.put("attempts", new ArrayList<>(attempts.values()));
    p.put("reforgeSteps", new ArrayList<>(steps.values()));
    return p;
  }
}
