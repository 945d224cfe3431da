/**
 * The {@code execflow} command line (picocli): {@code assemble}, {@code sessions}, {@code serve}
 * and {@code demo}. Errors are one line on stderr with a non-zero exit code, never a stack trace.
 *
 * <pre>{@code
 * java -jar execflow.jar assemble --jsonl logs/ --session sess-42 --pretty
 * }</pre>
 */
package dev.execflow.examples.cli;
