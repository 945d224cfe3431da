package dev.execflow.examples.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.execflow.examples.service.ExecutionFlowService;
import dev.execflow.model.Status;
import dev.execflow.spi.LogSource;
import dev.execflow.spi.SessionListQuery;
import dev.execflow.spi.SessionPage;
import dev.execflow.spi.SessionSummary;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code execflow sessions}: lists sessions, newest first, as a table or JSON. */
@Command(name = "sessions", mixinStandardHelpOptions = true,
    description = "List sessions, newest first.")
final class SessionsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin SourceOptions source;
  @Mixin ClickHouseWaits waits;

  @Option(names = "--cascade", paramLabel = "C", description = "Only sessions of this cascade")
  String cascade;

  @Option(names = "--status", paramLabel = "S", description = "Only sessions with this status: completed, running or error")
  String status;

  @Option(names = "--limit", paramLabel = "N", defaultValue = "50",
      description = "At most N sessions (1-10000, default ${DEFAULT-VALUE})")
  int limit;

  @Option(names = "--after", paramLabel = "CURSOR", description = "Continue after this cursor (printed when there are more)")
  String after;

  @Option(names = "--json", description = "Print JSON ({\"sessions\": [...], \"next_cursor\": ..., \"scanned\": ...}) instead of a table")
  boolean json;

  @Override
  public Integer call() throws Exception {
    if (limit < 1 || limit > 10_000) {
      throw new ParameterException(spec.commandLine(), "--limit must be between 1 and 10000, was " + limit);
    }
    Status wanted = parseStatus(status);
    PrintWriter out = spec.commandLine().getOut();
    SessionPage page;
    try (LogSource logs = waits.applyTo(source).open()) {
      page = logs.listSessions(new SessionListQuery(cascade, wanted, limit, after));
    }
    if (json) {
      ObjectNode body = JsonNodeFactory.instance.objectNode();
      ArrayNode rows = body.putArray("sessions");
      page.sessions().forEach(s -> rows.add(ExecutionFlowService.sessionJson(s)));
      body.put("next_cursor", page.nextCursor());
      body.put("scanned", page.scanned());
      ArrayNode warnings = body.putArray("warnings");
      page.warnings().forEach(warnings::add);
      out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(body));
    } else {
      printTable(out, page.sessions());
      if (page.sessions().isEmpty()) {
        out.println("no sessions" + (cascade != null || wanted != null ? " match" : "") + " in " + source.describe());
      }
      if (page.nextCursor() != null) {
        out.println("more: add --after " + page.nextCursor());
      }
    }
    out.flush();
    PrintWriter err = spec.commandLine().getErr();
    ReadReport.listing(page.warnings()).forEach(err::println);
    if (page.scanned()) {
      err.println("execflow: note: this page scanned the whole table; execflow install-listing makes a page cost"
          + " only the page");
    }
    err.flush();
    // a listing that left sessions or lines out is incomplete, as a read that lost rows is
    return page.warnings().isEmpty() ? ExecflowCli.EXIT_OK : ExecflowCli.EXIT_INCOMPLETE;
  }

  private Status parseStatus(String s) {
    if (s == null) {
      return null;
    }
    return switch (s.toLowerCase(Locale.ROOT)) {
      case "completed" -> Status.COMPLETED;
      case "running" -> Status.RUNNING;
      case "error" -> Status.ERROR;
      default -> throw new ParameterException(spec.commandLine(),
          "--status must be completed, running or error, was '" + s + "'");
    };
  }

  /** A fixed-width table: SESSION CASCADE STATUS COST DURATION STARTED(UTC) ROWS. */
  static void printTable(PrintWriter out, List<SessionSummary> sessions) {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"SESSION", "CASCADE", "STATUS", "COST", "DURATION", "STARTED (UTC)", "ROWS"});
    for (SessionSummary s : sessions) {
      rows.add(new String[] {
          s.sessionId(),
          s.cascadeId() == null ? "-" : s.cascadeId(),
          s.status() == null ? "-" : s.status().json(),
          String.format(Locale.ROOT, "$%.4f", s.cost()),
          formatDuration(s.duration()),
          started(s.firstTimestamp()),
          Long.toString(s.rowCount())});
    }
    if (sessions.isEmpty()) {
      return;
    }
    int[] width = new int[rows.get(0).length];
    for (String[] r : rows) {
      for (int i = 0; i < r.length; i++) {
        width[i] = Math.max(width[i], r[i].length());
      }
    }
    boolean[] right = {false, false, false, true, true, false, true};
    for (String[] r : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < r.length; i++) {
        if (i > 0) {
          line.append("  ");
        }
        String pad = " ".repeat(width[i] - r[i].length());
        line.append(right[i] ? pad + r[i] : (i == r.length - 1 ? r[i] : r[i] + pad));
      }
      out.println(line.toString().stripTrailing());
    }
  }

  static String formatDuration(double seconds) {
    if (!Double.isFinite(seconds)) {
      return "-";
    }
    if (seconds < 60) {
      return String.format(Locale.ROOT, "%.1fs", seconds);
    }
    long s = Math.round(seconds);
    if (s < 3600) {
      return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
    return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
  }

  private static String started(double epochSeconds) {
    String iso = ExecutionFlowService.iso(epochSeconds);
    if (iso == null) {
      return "-";
    }
    // 2025-01-02T03:04:05.678Z -> 2025-01-02 03:04:05
    String t = iso.replace('T', ' ');
    int dot = t.indexOf('.');
    return dot > 0 ? t.substring(0, dot) : t.replace("Z", "");
  }
}
