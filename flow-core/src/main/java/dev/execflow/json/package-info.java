/**
 * The public JSON shape of {@code executionData} (the seed plan's contract), written and read by
 * {@link dev.execflow.json.ExecutionJson}.
 *
 * <pre>{@code
 * String json = ExecutionJson.writePretty(data);
 * ExecutionData back = ExecutionJson.read(json);
 * }</pre>
 */
package dev.execflow.json;
