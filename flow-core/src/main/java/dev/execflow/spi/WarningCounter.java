package dev.execflow.spi;

import dev.execflow.model.Warnings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Warnings counted by kind, with the first few in words: the one counter the fold, the cascade
 * overlay and the listings keep, so that every output says what it could not interpret in the
 * same shape. Mutable and not thread-safe; {@link #toWarnings()} gives the immutable value.
 *
 * <pre>{@code
 * WarningCounter warnings = new WarningCounter(20);
 * warnings.add(WarningKind.BAD_JSON_LINE, "file.jsonl:12: unexpected end");
 * Warnings out = warnings.toWarnings();
 * }</pre>
 */
public final class WarningCounter {
  private final int maxSamples;
  private final LinkedHashMap<String, long[]> counts = new LinkedHashMap<>();
  private final List<String> samples = new ArrayList<>();
  private long total;

  /** A counter that keeps the words of the first {@code maxSamples} warnings. */
  public WarningCounter(int maxSamples) {
    this.maxSamples = maxSamples;
  }

  /** A counter that starts from {@code base} (e.g. to add an overlay's warnings to a session's). */
  public static WarningCounter of(Warnings base, int maxSamples) {
    WarningCounter c = new WarningCounter(maxSamples);
    base.byKind().forEach((kind, n) -> c.counts.computeIfAbsent(kind, k -> new long[1])[0] += n);
    c.total = base.count();
    for (String s : base.samples()) {
      if (c.samples.size() < maxSamples) {
        c.samples.add(s);
      }
    }
    return c;
  }

  public void add(WarningKind kind, String detail) {
    add(kind.wireName(), detail, 1);
  }

  public void add(WarningKind kind, String detail, long n) {
    add(kind.wireName(), detail, n);
  }

  /** Counts {@code n} warnings of a kind given by wire name (a source's own kinds included). */
  public void add(String kind, String detail, long n) {
    counts.computeIfAbsent(kind, k -> new long[1])[0] += n;
    total += n;
    if (samples.size() < maxSamples) {
      samples.add(kind + ": " + detail);
    }
  }

  /** Adds every warning {@code other} counted (its samples while there is room). */
  public void absorb(WarningCounter other) {
    for (Map.Entry<String, long[]> e : other.counts.entrySet()) {
      counts.computeIfAbsent(e.getKey(), k -> new long[1])[0] += e.getValue()[0];
    }
    total += other.total;
    for (String s : other.samples) {
      if (samples.size() < maxSamples) {
        samples.add(s);
      }
    }
  }

  /** An independent copy. */
  public WarningCounter copy() {
    WarningCounter c = new WarningCounter(maxSamples);
    c.absorb(this);
    return c;
  }

  /** Warnings counted so far. */
  public long count() {
    return total;
  }

  public Warnings toWarnings() {
    Map<String, Long> byKind = new LinkedHashMap<>();
    counts.forEach((k, v) -> byKind.put(k, v[0]));
    return new Warnings(total, byKind, samples);
  }
}
