package dev.execflow.examples.service;

import dev.execflow.model.ExecutionData;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The {@link VisitIndex} of recently folded sessions, so that the pages of a phase's rows do not
 * fold the session again: filled by every fold the service makes (the viewer asks for a session's
 * {@code execution-flow} before its rows). Bounded ({@value #MAX_SESSIONS} sessions, least
 * recently used out); the index of a session still running is used for {@value #RUNNING_TTL_MS}
 * ms only, since new visits may have started since. Thread-safe.
 */
final class VisitIndexCache {
  static final int MAX_SESSIONS = 256;
  static final long RUNNING_TTL_MS = 2_000;

  private record Entry(VisitIndex index, long madeAtMillis) {}

  private final LongSupplier clock;
  private final Map<String, Entry> entries = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
      return size() > MAX_SESSIONS;
    }
  };

  VisitIndexCache(LongSupplier clockMillis) {
    this.clock = clockMillis;
  }

  synchronized void put(String sessionId, ExecutionData data) {
    entries.put(sessionId, new Entry(VisitIndex.of(data), clock.getAsLong()));
  }

  /** The index of {@code sessionId} while it is still good, else null. */
  synchronized VisitIndex get(String sessionId) {
    Entry e = entries.get(sessionId);
    if (e == null) {
      return null;
    }
    if (!e.index().finished() && clock.getAsLong() - e.madeAtMillis() > RUNNING_TTL_MS) {
      entries.remove(sessionId);
      return null;
    }
    return e.index();
  }
}
