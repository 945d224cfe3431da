package dev.execflow.examples.cli;

import dev.execflow.cascade.CascadeDefinitionException;
import dev.execflow.spi.LogSourceException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Objects;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code execflow} command line: {@code assemble}, {@code follow}, {@code sessions}, {@code
 * serve}, {@code demo}. Command and option names are stable; scripts may rely on them.
 *
 * <pre>{@code
 * java -jar flow-examples/target/execflow.jar demo
 * java -jar flow-examples/target/execflow.jar assemble --jsonl logs.jsonl --session sess-42 --pretty
 * java -jar flow-examples/target/execflow.jar follow --jsonl logs.jsonl --session sess-42 --timeout 600
 * java -jar flow-examples/target/execflow.jar sessions --jsonl logs/ --status running
 * java -jar flow-examples/target/execflow.jar serve --jsonl logs/ --cascades cascades/ --port 8080
 * }</pre>
 *
 * <p>Exit codes: 0 success, 1 bad input or failing source (missing file, unknown session, source
 * down, output that cannot be written: one line on stderr), 2 bad usage (unknown or missing
 * option), 3 the answer was printed but input was lost on the way ({@link #EXIT_INCOMPLETE}).
 */
@Command(
    name = "execflow",
    mixinStandardHelpOptions = true,
    versionProvider = ExecflowCli.Version.class,
    description = "Folds the log rows of cascade runs into executionData, lists sessions, serves the flow viewer.",
    subcommands = {
        AssembleCommand.class,
        FollowCommand.class,
        SessionsCommand.class,
        InstallListingCommand.class,
        ServeCommand.class,
        DemoCommand.class,
        CommandLine.HelpCommand.class
    })
public final class ExecflowCli implements Runnable {
  public static final int EXIT_OK = 0;
  public static final int EXIT_FAILURE = 1;
  public static final int EXIT_USAGE = 2;
  /**
   * The answer was printed but is not whole: input was lost on the way (a file ending early, lines
   * that are not rows, unreadable gzip data, cut values) or a listing left sessions out. Stderr
   * says what in one line; the JSON's {@code warnings} say it in detail.
   */
  public static final int EXIT_INCOMPLETE = 3;

  @Spec CommandSpec spec;

  final ServerHook serverHook;

  ExecflowCli(ServerHook serverHook) {
    this.serverHook = Objects.requireNonNull(serverHook, "serverHook");
  }

  public static void main(String[] args) {
    // straight to the file descriptor, not through System.out (a PrintStream that hides write
    // errors even from checkError of a writer on top of it): a full disk must fail the command
    PrintWriter out = new PrintWriter(new java.io.BufferedWriter(new java.io.OutputStreamWriter(
        new java.io.FileOutputStream(java.io.FileDescriptor.out), java.nio.charset.StandardCharsets.UTF_8)), true);
    int code = execute(out, new PrintWriter(System.err, true), ServerHook.untilShutdown(), args);
    System.exit(code);
  }

  /**
   * Runs one command line with the given streams and returns its exit code; never throws and never
   * prints a stack trace.
   */
  public static int execute(PrintWriter out, PrintWriter err, ServerHook hook, String... args) {
    int code = commandLine(out, err, hook).execute(args);
    if (out.checkError()) {
      // a PrintWriter keeps write errors to itself: ask, so that output to a full disk fails
      err.println("execflow: cannot write the output (disk full, or the reader of the pipe went away);"
          + " what was printed is incomplete");
      err.flush();
      return EXIT_FAILURE;
    }
    return code;
  }

  /** The configured picocli command line (for embedding or tests). */
  public static CommandLine commandLine(PrintWriter out, PrintWriter err, ServerHook hook) {
    CommandLine cl = new CommandLine(new ExecflowCli(hook));
    cl.setOut(out);
    cl.setErr(err);
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setParameterExceptionHandler(ExecflowCli::usageError);
    cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> failure(e, commandLine));
    return cl;
  }

  @Override
  public void run() {
    // `execflow` alone: say what there is to do rather than nothing
    throw new ParameterException(spec.commandLine(), "Missing command: assemble, follow, sessions, serve or demo");
  }

  private static int usageError(ParameterException e, String[] args) {
    CommandLine cl = e.getCommandLine();
    String name = cl.getCommandSpec().qualifiedName();
    cl.getErr().println(name + ": " + oneLine(e.getMessage()) + " (see '" + name + " --help')");
    cl.getErr().flush();
    return EXIT_USAGE;
  }

  private static int failure(Exception e, CommandLine cl) {
    String name = cl.getCommandSpec().qualifiedName();
    String message;
    if (e instanceof LogSourceException && ((LogSourceException) e).reason() == LogSourceException.Reason.SCHEMA) {
      // the remedy first, then the whole detail (which names every missing column): not cut
      cl.getErr().println(name + ": the table does not have the columns of this schema; try --schema auto"
          + " (reads whatever columns the table has) or check --database/--table. "
          + e.getMessage().strip().replaceAll("\\s*[\\r\\n]+\\s*", " "));
      cl.getErr().flush();
      return EXIT_FAILURE;
    }
    if (e instanceof CliException || e instanceof LogSourceException
        || e instanceof CascadeDefinitionException || e instanceof UncheckedIOException) {
      message = e.getMessage();
    } else if (e instanceof InterruptedException) {
      message = "interrupted";
    } else {
      // a bug, not the user's fault: still one line, with enough to report it
      message = "unexpected error: " + e;
    }
    cl.getErr().println(name + ": " + oneLine(message));
    cl.getErr().flush();
    return EXIT_FAILURE;
  }

  static String oneLine(String message) {
    if (message == null) {
      return "failed";
    }
    String line = message.strip().replaceAll("\\s*[\\r\\n]+\\s*", " ");
    return line.length() > 500 ? line.substring(0, 500) + "..." : line;
  }

  /** The version from the jar's manifest, or "dev" when run from classes. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = ExecflowCli.class.getPackage().getImplementationVersion();
      return new String[] {"execflow " + (v == null ? "dev" : v)};
    }
  }
}
