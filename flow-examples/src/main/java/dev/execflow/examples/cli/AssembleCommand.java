package dev.execflow.examples.cli;

import dev.execflow.assemble.AssemblyOptions;
import dev.execflow.assemble.ExecutionAssembler;
import dev.execflow.json.ExecutionJson;
import dev.execflow.model.ExecutionData;
import dev.execflow.cascade.CascadeCatalog;
import dev.execflow.spi.LogSource;
import dev.execflow.spi.SessionQuery;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code execflow assemble --session ID}: prints one session's executionData JSON. */
@Command(name = "assemble", mixinStandardHelpOptions = true,
    description = "Print the executionData JSON of one session.")
final class AssembleCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin SourceOptions source;
  @Mixin ClickHouseWaits waits;
  @Mixin StrategyOptions strategy;

  @Option(names = "--session", required = true, paramLabel = "ID", description = "The session id")
  String session;

  @Option(names = "--pretty", description = "Indent the JSON")
  boolean pretty;

  @Option(names = "--cascades", paramLabel = "DIR",
      description = "Directory of cascade definitions (JSON/YAML): overlay the session on its "
          + "cascade (pending phases, declared edges)")
  Path cascades;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    CascadeCatalog catalog = SourceOptions.catalog(cascades, false, err);
    ExecutionData data;
    try (LogSource logs = strategy.applyTo(waits.applyTo(source)).open()) {
      data = assemble(logs, session, source.describe(), source.streamsEveryRow(), err);
    }
    data = catalog.overlay(data);
    out.println(pretty ? ExecutionJson.writePretty(data) : ExecutionJson.write(data));
    out.flush();
    String summary = ReadReport.summary(data.warnings());
    if (summary != null) {
      err.println(summary);
      err.flush();
    }
    return ReadReport.incomplete(data.warnings()) ? ExecflowCli.EXIT_INCOMPLETE : ExecflowCli.EXIT_OK;
  }

  /**
   * Folds one session; an unknown session is a one-line {@link CliException}. When every row comes
   * through (a streaming source), a progress line counts them on {@code err} when it is a
   * terminal; otherwise the session goes to {@link LogSource#assemble}, which folds it with the
   * ClickHouse source's strategy (no row count to show: the server sums most rows up).
   */
  static ExecutionData assemble(LogSource logs, String session, String where, boolean streamsEveryRow,
      PrintWriter err) {
    ExecutionAssembler assembler = new ExecutionAssembler(AssemblyOptions.defaults());
    long rows;
    if (streamsEveryRow) {
      try (ReadReport.Progress progress = new ReadReport.Progress(assembler, err)) {
        rows = logs.read(SessionQuery.of(session), progress);
      }
    } else {
      rows = logs.assemble(SessionQuery.of(session), assembler);
    }
    if (rows == 0) {
      throw new CliException("unknown session '" + session + "' in " + where
          + " (see 'execflow sessions')");
    }
    return assembler.snapshot();
  }
}
