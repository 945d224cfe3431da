/**
 * The storage SPI (like Zipkin's {@code StorageComponent}): a {@link dev.execflow.spi.LogSource}
 * delivers one session's rows ({@link dev.execflow.spi.LogRow}, flyweights) in time order to a
 * {@link dev.execflow.spi.RowSink} and lists sessions; {@link dev.execflow.spi.ColumnMapping} maps
 * the logical {@link dev.execflow.spi.Column}s to a table's names; problems are {@link
 * dev.execflow.spi.LogSourceException} with a {@link dev.execflow.spi.LogSourceException.Reason},
 * or counted as {@link dev.execflow.spi.WarningKind}s.
 *
 * <pre>{@code
 * try (LogSource source = JsonlLogSource.open(Path.of("logs"))) {
 *   source.read(SessionQuery.of("sess-42"), row -> System.out.println(row.nodeType()));
 * }
 * }</pre>
 */
package dev.execflow.spi;
