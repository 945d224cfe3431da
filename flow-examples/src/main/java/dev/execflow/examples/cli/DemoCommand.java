package dev.execflow.examples.cli;

import dev.execflow.json.ExecutionJson;
import dev.execflow.model.ExecutionData;
import dev.execflow.testing.Samples;
import dev.execflow.cascade.CascadeCatalog;
import dev.execflow.spi.LogSource;
import dev.execflow.spi.SessionListQuery;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code execflow demo}: the README's first command. Shows the bundled sample sessions, the
 * executionData of the soundings sample, then opens the viewer on all samples.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "List the bundled sample sessions, print the executionData of the 'soundings' "
        + "sample, and serve the viewer on the samples.")
final class DemoCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--port", paramLabel = "N", defaultValue = "8080",
      description = "Port for the viewer (default ${DEFAULT-VALUE}; a free one if it is taken)")
  int port;

  @Option(names = "--host", paramLabel = "ADDR", defaultValue = "127.0.0.1",
      description = "Address to bind (default ${DEFAULT-VALUE})")
  String host;

  @Override
  public Integer call() throws InterruptedException {
    ServeCommand.checkPort(spec, port);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    CascadeCatalog catalog = SourceOptions.catalog(null, true, err);
    try (LogSource logs = Samples.source()) {
      out.println("Bundled sample sessions:");
      SessionsCommand.printTable(out, logs.listSessions(SessionListQuery.firstPage(100)).sessions());
      out.println();
      String session = Samples.sessionId("soundings");
      ExecutionData data = AssembleCommand.assemble(logs, session, "the bundled samples", true,
          spec.commandLine().getErr());
      out.println("executionData of the 'soundings' sample (execflow assemble --session " + session + " --pretty):");
      out.println(ExecutionJson.writePretty(data));
      out.println();
      out.flush();
      ServeCommand.serve(spec, logs, catalog, "the bundled sample sessions", host, port, true);
    }
    return ExecflowCli.EXIT_OK;
  }
}
