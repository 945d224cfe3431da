package dev.execflow.examples.cli;

import dev.execflow.source.clickhouse.Strategy;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code --strategy stream|pushdown|auto} and {@code --parallel-ranges K} on {@code assemble},
 * {@code serve} and {@code follow}: how a ClickHouse source folds a whole session (flow-clickhouse's
 * {@link Strategy}). The names are a contract (scripts use them). Other sources always stream their
 * rows: {@code --strategy stream} is accepted for them, {@code pushdown}, {@code auto} and more than
 * one range are refused with a one-line error rather than silently ignored.
 */
final class StrategyOptions {
  @Option(names = "--strategy", paramLabel = "stream|pushdown|auto", converter = StrategyConverter.class,
      description = "How a ClickHouse source folds a whole session: stream (every row crosses the wire), "
          + "pushdown (the server sums up what it can prove exact, the rest streams) or auto (pushdown from "
          + Strategy.DEFAULT_PUSHDOWN_ROWS + " rows, counted first). Same output either way. Default: auto")
  Strategy strategy;

  @Option(names = "--parallel-ranges", paramLabel = "K",
      description = "Stream a big ClickHouse session as K time ranges read concurrently and merged (1-64; "
          + "default 1). Same output")
  Integer parallelRanges;

  /** {@code source} with these choices. */
  SourceOptions applyTo(SourceOptions source) {
    source.strategy = strategy;
    source.parallelRanges = parallelRanges;
    return source;
  }

  /** {@link Strategy#parse} as picocli's converter: an unknown name is a usage error naming the three. */
  static final class StrategyConverter implements ITypeConverter<Strategy> {
    @Override
    public Strategy convert(String value) {
      for (Strategy s : Strategy.values()) {
        if (s.label().equals(value)) {
          return s;
        }
      }
      throw new TypeConversionException("unknown strategy '" + value + "': use stream, pushdown or auto");
    }
  }
}
