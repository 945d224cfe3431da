package dev.execflow.jmh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns a JMH JSON result file ({@code -rf json}) into the Markdown tables of {@code
 * BENCHMARKS.md}: rows/s and bytes allocated per row for every row-folding benchmark, MB/s for
 * JSONL, and the ratios measured in the same run (fold vs naive baseline, parallel vs one thread,
 * ClickHouse stream + assemble vs the server's own scan, each JDBC backend vs the client-v2 source). Errors are JMH's 99.9% confidence
 * half-widths; a derived ratio's error combines its two inputs' relative errors. When several files
 * hold the same benchmark and parameters, the last file's result is used (a re-run replaces).
 *
 * <pre>{@code
 * java -cp flow-jmh/target/benchmarks.jar dev.execflow.jmh.Report flow-jmh/target/bench-full/*.json
 * }</pre>
 */
public final class Report {
  private final List<Result> results = new ArrayList<>();
  private final StringBuilder out = new StringBuilder();

  /** A value with its error (NaN when JMH had too few iterations to give one). */
  record Value(double score, double error) {
    /** NaN when unknown. */
    double relative() {
      return error / score;
    }

    Value times(double k) {
      return new Value(score * k, error * k);
    }

    Value inverse(double k) {
      return new Value(k / score, k / score * relative());
    }


    Value ratio(Value other) {
      double r = score / other.score;
      return new Value(r, r * Math.hypot(relative(), other.relative()));
    }
  }

  record Result(String benchmark, String method, JsonNode params, Value primary, String unit, JsonNode secondary) {
    String param(String name) {
      return params == null || params.get(name) == null ? null : params.get(name).asText();
    }

    long rows() {
      return Long.parseLong(param("rows"));
    }

    Value metric(String name) {
      JsonNode m = secondary == null ? null : secondary.get(name);
      return m == null ? null : value(m);
    }

    /** gc.alloc.rate.norm (bytes per operation), or null without -prof gc. */
    Value allocPerOp() {
      return metric("gc.alloc.rate.norm");
    }
  }

  static Value value(JsonNode metric) {
    return new Value(Double.parseDouble(metric.get("score").asText()),
        Double.parseDouble(metric.get("scoreError").asText()));
  }

  public static void main(String[] args) throws IOException {
    if (args.length == 0) {
      System.err.println("usage: Report <jmh-result.json>...");
      System.exit(2);
    }
    Path[] files = new Path[args.length];
    for (int i = 0; i < args.length; i++) {
      files[i] = Path.of(args[i]);
    }
    System.out.print(new Report(files).render());
  }

  Report(Path... jsonFiles) throws IOException {
    for (Path json : jsonFiles) {
      read(json);
    }
  }

  private void read(Path json) throws IOException {
    for (JsonNode r : new ObjectMapper().readTree(json.toFile())) {
      String full = r.get("benchmark").asText();
      int dot = full.lastIndexOf('.');
      String cls = full.substring(full.lastIndexOf('.', dot - 1) + 1, dot);
      Result result = new Result(cls, full.substring(dot + 1), r.get("params"), value(r.get("primaryMetric")),
          r.get("primaryMetric").get("scoreUnit").asText(), r.get("secondaryMetrics"));
      // a later file re-measures: its result replaces the earlier one of the same benchmark and params
      results.removeIf(o -> o.benchmark.equals(result.benchmark) && o.method.equals(result.method)
          && String.valueOf(o.params).equals(String.valueOf(result.params)));
      results.add(result);
    }
  }

  String render() {
    fold();
    naive();
    streamed();
    jsonl();
    snapshot();
    merge();
    clickhouse();
    jdbc();
    return out.toString();
  }

  private List<Result> of(String benchmark, String method) {
    List<Result> list = new ArrayList<>();
    for (Result r : results) {
      if (r.benchmark.equals(benchmark) && (method == null || r.method.equals(method))) {
        list.add(r);
      }
    }
    return list;
  }

  private Result find(String benchmark, String method, String param, String value) {
    for (Result r : of(benchmark, method)) {
      if (value.equals(r.param(param))) {
        return r;
      }
    }
    return null;
  }

  private void fold() {
    List<Result> list = of("FoldBenchmark", "fold");
    if (list.isEmpty()) {
      return;
    }
    out.append("\n#### FoldBenchmark.fold (in-memory rows, one thread)\n\n");
    out.append("| rows | rows/s | ns/row | bytes allocated/row |\n|---:|---:|---:|---:|\n");
    for (Result r : list) {
      Value rowsPerS = r.metric("rows");
      out.append(row(r.param("rows"), millions(rowsPerS) + " M", fmt(rowsPerS.inverse(1e9), 2),
          perRow(r)));
    }
  }

  private void naive() {
    List<Result> list = of("NaiveBaselineBenchmark", "naive");
    if (list.isEmpty()) {
      return;
    }
    out.append("\n#### NaiveBaselineBenchmark.naive (Map per row, grouped by phase) vs the fold, same run\n\n");
    out.append("| rows | naive rows/s | fold rows/s | fold / naive (speed) | naive bytes/row | fold bytes/row |\n");
    out.append("|---:|---:|---:|---:|---:|---:|\n");
    for (Result r : list) {
      Result fold = find("FoldBenchmark", "fold", "rows", r.param("rows"));
      Value naive = r.metric("rows");
      out.append(row(r.param("rows"), millions(naive) + " M",
          fold == null ? "-" : millions(fold.metric("rows")) + " M",
          fold == null ? "-" : fmt(fold.metric("rows").ratio(naive), 1) + " x",
          perRow(r), fold == null ? "-" : perRow(fold)));
    }
  }

  private void streamed() {
    List<Result> list = of("StreamedFoldBenchmark", null);
    if (list.isEmpty()) {
      return;
    }
    out.append("\n#### StreamedFoldBenchmark (generator -> fold in a 64 MB heap)\n\n");
    out.append("| rows | method | rows/s | ns/row | bytes allocated/row |\n|---:|---|---:|---:|---:|\n");
    for (Result r : list) {
      Value rowsPerS = r.metric("rows");
      out.append(row(r.param("rows"), r.method, millions(rowsPerS) + " M", fmt(rowsPerS.inverse(1e9), 1), perRow(r)));
    }
    for (Result both : of("StreamedFoldBenchmark", "generateAndFold")) {
      Result gen = find("StreamedFoldBenchmark", "generateOnly", "rows", both.param("rows"));
      if (gen != null) {
        double fold = 1e9 / both.metric("rows").score - 1e9 / gen.metric("rows").score;
        out.append(String.format(Locale.ROOT, "\nFold's share at %s rows: %.1f ns/row (generate+fold minus generate)"
            + " = %.1f M rows/s.\n", both.param("rows"), fold, 1e3 / fold));
      }
    }
  }

  private void jsonl() {
    List<Result> list = of("JsonlBenchmark", null);
    if (list.isEmpty()) {
      return;
    }
    out.append("\n#### JsonlBenchmark (JSON Lines file in the page cache)\n\n");
    out.append("| rows | method | rows/s | MB/s | bytes allocated/row |\n|---:|---|---:|---:|---:|\n");
    for (Result r : list) {
      out.append(row(r.param("rows"), r.method, millions(r.metric("rows")) + " M",
          fmt(r.metric("bytes").times(1.0 / 1048576), 1), perRow(r)));
    }
  }

  private void snapshot() {
    List<Result> list = of("SnapshotBenchmark", null);
    if (list.isEmpty()) {
      return;
    }
    out.append("\n#### SnapshotBenchmark (1,000 phases, 14 attempts each)\n\n");
    out.append("| phases | soundings | method | time per call | MB allocated per call |\n|---:|---:|---|---:|---:|\n");
    for (Result r : list) {
      Value alloc = r.allocPerOp();
      out.append(row(r.param("phases"), r.param("soundings"), r.method, fmt(r.primary, 2) + " " + r.unit,
          alloc == null ? "-" : fmt(alloc.times(1.0 / 1048576), 2)));
    }
  }

  private void merge() {
    List<Result> list = of("MergeBenchmark", null);
    if (list.isEmpty()) {
      return;
    }
    out.append("\n#### MergeBenchmark (time-range parts folded in parallel, then merged)\n\n");
    out.append("| rows | parts | foldPartsAndMerge rows/s | speedup vs 1 thread | mergeOnly (all merges) |\n");
    out.append("|---:|---:|---:|---:|---:|\n");
    for (Result r : of("MergeBenchmark", "foldPartsAndMerge")) {
      Result one = null;
      for (Result o : of("MergeBenchmark", "foldPartsAndMerge")) {
        if (o.param("rows").equals(r.param("rows")) && "1".equals(o.param("parts"))) {
          one = o;
        }
      }
      Result mergeOnly = null;
      for (Result o : of("MergeBenchmark", "mergeOnly")) {
        if (o.param("rows").equals(r.param("rows")) && o.param("parts").equals(r.param("parts"))) {
          mergeOnly = o;
        }
      }
      out.append(row(r.param("rows"), r.param("parts"), millions(r.metric("rows")) + " M",
          one == null ? "-" : fmt(r.metric("rows").ratio(one.metric("rows")), 2) + " x",
          mergeOnly == null ? "-" : fmt(mergeOnly.primary.inverse(1e6), 1) + " µs"));
    }
  }

  private void clickhouse() {
    List<Result> list = of("ClickHouseBenchmark", null);
    if (list.isEmpty()) {
      return;
    }
    out.append("\n#### ClickHouseBenchmark (real clickhouse-server, same SELECT)\n\n");
    out.append("| rows | method | time per session | rows/s | time / serverScan | bytes allocated/row |\n");
    out.append("|---:|---|---:|---:|---:|---:|\n");
    for (Result r : list) {
      Result scan = find("ClickHouseBenchmark", "serverScan", "rows", r.param("rows"));
      Value ms = r.primary.inverse(1e3);
      out.append(row(r.param("rows"), r.method, fmt(ms, 1) + " ms", millions(r.metric("rows")) + " M",
          scan == null ? "-" : fmt(ms.ratio(scan.primary.inverse(1e3)), 2) + " x",
          r.method.equals("serverScan") ? "(client: HTTP only)" : perRow(r)));
    }
  }

  /** JdbcBenchmark: every backend against the client-v2 source's result of the same method and size. */
  private void jdbc() {
    List<Result> list = of("JdbcBenchmark", null);
    if (list.isEmpty()) {
      return;
    }
    out.append("\n#### JdbcBenchmark (the JDBC source vs the client-v2 source, same session, 64 MB heap)\n\n");
    out.append("| rows | method | backend | time per session | rows/s | rows/s vs clickhouse-v2 | bytes allocated/row |\n");
    out.append("|---:|---|---|---:|---:|---:|---:|\n");
    for (Result r : list) {
      Result reference = null;
      for (Result o : of("JdbcBenchmark", r.method)) {
        if ("clickhouse-v2".equals(o.param("backend")) && o.param("rows").equals(r.param("rows"))) {
          reference = o;
        }
      }
      out.append(row(r.param("rows"), r.method, r.param("backend"), fmt(r.primary.inverse(1e3), 1) + " ms",
          millions(r.metric("rows")) + " M",
          reference == null ? "-" : fmt(r.metric("rows").ratio(reference.metric("rows")), 2) + " x",
          perRow(r)));
    }
  }

  private static String perRow(Result r) {
    Value alloc = r.allocPerOp();
    return alloc == null ? "-" : fmt(alloc.times(1.0 / r.rows()), alloc.score / r.rows() < 10 ? 3 : 0);
  }

  private static String millions(Value v) {
    return fmt(v.times(1e-6), v.score >= 1e7 ? 1 : 2);
  }

  private static String fmt(Value v, int decimals) {
    String f = "%." + decimals + "f";
    String s = String.format(Locale.ROOT, f, v.score);
    return Double.isNaN(v.error) ? s : s + " ± " + String.format(Locale.ROOT, f, v.error);
  }

  private static String row(String... cells) {
    return "| " + String.join(" | ", cells) + " |\n";
  }
}
