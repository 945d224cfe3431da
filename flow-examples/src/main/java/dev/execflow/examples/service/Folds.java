package dev.execflow.examples.service;

import dev.execflow.assemble.AssemblyOptions;
import dev.execflow.assemble.ExecutionAssembler;
import dev.execflow.model.ExecutionData;
import dev.execflow.spi.LogSource;
import dev.execflow.spi.LogSourceException;
import dev.execflow.spi.RowSink;
import dev.execflow.spi.SessionQuery;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Folding sessions for the endpoints that need their {@code executionData}: one session, or several
 * with one {@link LogSource#readSessions} request (a ClickHouse source: one query). Every read
 * reports to the {@link SourceHealth}; a failing source throws {@link LogSourceException}.
 */
final class Folds {
  private final LogSource source;
  private final AssemblyOptions options;
  private final SourceHealth health;
  private final VisitIndexCache visits;

  /** {@code visits}: told the visit index of every session folded. */
  Folds(LogSource source, AssemblyOptions options, SourceHealth health, VisitIndexCache visits) {
    this.source = source;
    this.options = options;
    this.health = health;
    this.visits = visits;
  }

  /**
   * The fold of session {@code id}, or null when it has no rows: through {@link
   * LogSource#assemble}, so a ClickHouse source folds it with its strategy (streamed, or largely
   * summed up by the server).
   */
  ExecutionData fold(String id) {
    ExecutionAssembler assembler = new ExecutionAssembler(options);
    long rows;
    try {
      rows = source.assemble(SessionQuery.of(id), assembler);
    } catch (LogSourceException e) {
      health.failed(e);
      throw e;
    }
    health.up();
    if (rows == 0) {
      return null;
    }
    ExecutionData data = assembler.snapshot();
    visits.put(id, data);
    return data;
  }

  /** The folds of {@code ids} that have rows, in the order of {@code ids}. */
  List<ExecutionData> foldAll(List<String> ids) {
    Map<String, ExecutionAssembler> folds = new LinkedHashMap<>();
    List<SessionQuery> queries = new ArrayList<>(ids.size());
    for (String id : ids) {
      if (folds.putIfAbsent(id, new ExecutionAssembler(options)) == null) {
        queries.add(SessionQuery.of(id));
      }
    }
    Map<String, long[]> counts = new HashMap<>();
    try {
      source.readSessions(queries, id -> counting(folds.get(id), counts.computeIfAbsent(id, k -> new long[1])));
    } catch (LogSourceException e) {
      health.failed(e);
      throw e;
    }
    health.up();
    List<ExecutionData> out = new ArrayList<>(folds.size());
    folds.forEach((id, fold) -> {
      if (counts.getOrDefault(id, new long[1])[0] > 0) {
        ExecutionData data = fold.snapshot();
        visits.put(id, data);
        out.add(data);
      }
    });
    return out;
  }

  private static RowSink counting(ExecutionAssembler fold, long[] count) {
    return new RowSink() {
      @Override public void accept(dev.execflow.spi.LogRow row) {
        count[0]++;
        fold.accept(row);
      }

      @Override public void warning(String kind, String detail) {
        fold.warning(kind, detail);
      }
    };
  }
}
