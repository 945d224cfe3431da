package dev.execflow.assemble;

import java.time.Clock;
import java.util.Objects;

/**
 * Settings of an {@link ExecutionAssembler}. Every bound keeps memory flat whatever the rows say;
 * what a bound cuts off is counted in the output's warnings.
 *
 * <pre>{@code
 * AssemblyOptions live = AssemblyOptions.defaults()
 *     .withClock(Clock.systemUTC())   // a running phase's duration grows with wall-clock time
 *     .withPreviewLength(80);
 * }</pre>
 *
 * @param previewLength characters (code points, not bytes) of a sounding's output kept as preview
 * @param maxPhases distinct phases per session
 * @param maxVisits phase visits kept for {@code executedPath} and durations
 * @param maxAttemptsPerPhase distinct sounding indices per phase
 * @param maxReforgeSteps distinct reforge steps per phase
 * @param maxWardsPerKind distinct validators per ward kind per phase
 * @param maxPendingGroups groups of rows whose phase is only known from an earlier part
 * @param traceIndexCapacity entries of the bounded {@code trace_id -> phase} index
 * @param traceIndexInitialCapacity entries that index starts with, doubling up to its capacity as a
 *     session's calls come (the fold is the same whatever it starts with): the default starts at
 *     the default capacity, since for a long session growing costs as much garbage again as the
 *     index itself; a fold that is kept while small, like each of the many a follow service
 *     holds, starts small (about 1 MB at 16,384 entries, 4 KB at 64)
 * @param maxWarningSamples warnings kept in words (all are counted)
 * @param vocabulary node type / role meanings
 * @param clock when non-null, a running session's open phase lasts until {@code clock.instant()};
 *     when null (the default, deterministic) until the session's last row
 */
public record AssemblyOptions(
    int previewLength,
    int maxPhases,
    int maxVisits,
    int maxAttemptsPerPhase,
    int maxReforgeSteps,
    int maxWardsPerKind,
    int maxPendingGroups,
    int traceIndexCapacity,
    int traceIndexInitialCapacity,
    int maxWarningSamples,
    Vocabulary vocabulary,
    Clock clock) {

  private static final AssemblyOptions DEFAULTS =
      new AssemblyOptions(50, 1_000, 10_000, 64, 64, 32, 4_096, 1 << 14, 1 << 14, 20, Vocabulary.defaults(), null);

  public AssemblyOptions {
    requireAtLeast("previewLength", previewLength, 0);
    requireAtLeast("maxPhases", maxPhases, 1);
    requireAtLeast("maxVisits", maxVisits, 1);
    requireAtLeast("maxAttemptsPerPhase", maxAttemptsPerPhase, 1);
    requireAtLeast("maxReforgeSteps", maxReforgeSteps, 1);
    requireAtLeast("maxWardsPerKind", maxWardsPerKind, 1);
    requireAtLeast("maxPendingGroups", maxPendingGroups, 1);
    requireAtLeast("traceIndexCapacity", traceIndexCapacity, 16);
    requireAtLeast("traceIndexInitialCapacity", traceIndexInitialCapacity, 1);
    requireAtLeast("maxWarningSamples", maxWarningSamples, 0);
    Objects.requireNonNull(vocabulary, "vocabulary");
  }

  private static void requireAtLeast(String name, int value, int min) {
    if (value < min) {
      throw new IllegalArgumentException(name + " must be at least " + min + ", was " + value);
    }
  }

  public static AssemblyOptions defaults() {
    return DEFAULTS;
  }

  /** A builder starting from these options. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder(DEFAULTS);
  }

  public AssemblyOptions withPreviewLength(int characters) {
    return toBuilder().previewLength(characters).build();
  }

  public AssemblyOptions withClock(Clock newClock) {
    return toBuilder().clock(newClock).build();
  }

  public AssemblyOptions withVocabulary(Vocabulary newVocabulary) {
    return toBuilder().vocabulary(newVocabulary).build();
  }

  /** Bounds on phases, visits, attempts, reforge steps and wards, in that order. */
  public AssemblyOptions withLimits(int phases, int visits, int attemptsPerPhase, int reforgeSteps,
      int wardsPerKind) {
    return toBuilder().maxPhases(phases).maxVisits(visits).maxAttemptsPerPhase(attemptsPerPhase)
        .maxReforgeSteps(reforgeSteps).maxWardsPerKind(wardsPerKind).build();
  }

  public AssemblyOptions withTraceIndexCapacity(int entries) {
    return toBuilder().traceIndexCapacity(entries).build();
  }

  /**
   * Options by name, for code that sets more than one:
   *
   * <pre>{@code
   * AssemblyOptions options = AssemblyOptions.builder()
   *     .maxPhases(200)
   *     .traceIndexCapacity(1 << 18)
   *     .clock(Clock.systemUTC())
   *     .build();
   * }</pre>
   */
  public static final class Builder {
    private int previewLength;
    private int maxPhases;
    private int maxVisits;
    private int maxAttemptsPerPhase;
    private int maxReforgeSteps;
    private int maxWardsPerKind;
    private int maxPendingGroups;
    private int traceIndexCapacity;
    private int traceIndexInitialCapacity;
    private int maxWarningSamples;
    private Vocabulary vocabulary;
    private Clock clock;

    private Builder(AssemblyOptions from) {
      previewLength = from.previewLength;
      maxPhases = from.maxPhases;
      maxVisits = from.maxVisits;
      maxAttemptsPerPhase = from.maxAttemptsPerPhase;
      maxReforgeSteps = from.maxReforgeSteps;
      maxWardsPerKind = from.maxWardsPerKind;
      maxPendingGroups = from.maxPendingGroups;
      traceIndexCapacity = from.traceIndexCapacity;
      traceIndexInitialCapacity = from.traceIndexInitialCapacity;
      maxWarningSamples = from.maxWarningSamples;
      vocabulary = from.vocabulary;
      clock = from.clock;
    }

    public Builder previewLength(int characters) {
      this.previewLength = characters;
      return this;
    }

    public Builder maxPhases(int phases) {
      this.maxPhases = phases;
      return this;
    }

    public Builder maxVisits(int visits) {
      this.maxVisits = visits;
      return this;
    }

    public Builder maxAttemptsPerPhase(int attempts) {
      this.maxAttemptsPerPhase = attempts;
      return this;
    }

    public Builder maxReforgeSteps(int steps) {
      this.maxReforgeSteps = steps;
      return this;
    }

    public Builder maxWardsPerKind(int wards) {
      this.maxWardsPerKind = wards;
      return this;
    }

    public Builder maxPendingGroups(int groups) {
      this.maxPendingGroups = groups;
      return this;
    }

    public Builder traceIndexCapacity(int entries) {
      this.traceIndexCapacity = entries;
      return this;
    }

    /** Entries the trace index starts with (see {@link AssemblyOptions#traceIndexInitialCapacity}). */
    public Builder traceIndexInitialCapacity(int entries) {
      this.traceIndexInitialCapacity = entries;
      return this;
    }

    public Builder maxWarningSamples(int samples) {
      this.maxWarningSamples = samples;
      return this;
    }

    public Builder vocabulary(Vocabulary vocabulary) {
      this.vocabulary = vocabulary;
      return this;
    }

    /** Null (the default): a running phase lasts until the session's last row. */
    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    /** @throws IllegalArgumentException naming the first option out of range */
    public AssemblyOptions build() {
      return new AssemblyOptions(previewLength, maxPhases, maxVisits, maxAttemptsPerPhase, maxReforgeSteps,
          maxWardsPerKind, maxPendingGroups, traceIndexCapacity, traceIndexInitialCapacity, maxWarningSamples,
          vocabulary, clock);
    }
  }
}
