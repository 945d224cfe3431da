/**
 * The {@code execflow} command line ({@code assemble}, {@code sessions}, {@code serve}, {@code
 * demo}) on picocli; {@link dev.execflow.examples.cli.ExecflowCli#main} is the jar's entry point.
 *
 * <pre>{@code
 * int exit = ExecflowCli.execute(out, err, ServerHook.untilShutdown(), "assemble", "--session", "s1");
 * }</pre>
 */
package dev.execflow.examples.cli;
