package dev.execflow.examples.service;

import dev.execflow.spi.LogSourceException;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;

/**
 * What {@code /api/health} says about the log source: the outcome of the latest read or listing
 * (a source that answered is {@code up}; one that was unreachable, refused the credentials or lacks
 * its table is {@code down}), or {@code waiting} while a source that the server started without is
 * still being connected to ({@code serve --wait-for-source}). Thread-safe.
 *
 * <pre>{@code
 * SourceHealth health = service.sourceHealth();
 * health.waiting("connecting to http://db:8123: connection refused");
 * ...
 * health.up();
 * }</pre>
 */
public final class SourceHealth {
  /** The source's state. */
  public enum State {
    /** Nothing has been read yet. */
    UNKNOWN,
    /** The latest read or listing was answered. */
    UP,
    /** The latest read or listing failed because of the source (see the detail). */
    DOWN,
    /** The server runs but its source is not connected yet. */
    WAITING;

    /** Lowercase, as in the JSON. */
    public String json() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * One reading of the state.
   *
   * @param state the state
   * @param detail why it is down or waiting (safe to show), else null
   * @param since when the state began
   */
  public record Snapshot(State state, String detail, Instant since) {
    /** Whether the source can serve reads now (as far as is known). */
    public boolean serving() {
      return state == State.UP || state == State.UNKNOWN;
    }
  }

  /**
   * A source that keeps its own health (e.g. {@link WaitingSource}): a service over it reports
   * that health rather than a tracker of its own.
   */
  public interface Reporting {
    SourceHealth health();
  }

  private final Clock clock;
  private volatile Snapshot current;

  public SourceHealth() {
    this(Clock.systemUTC());
  }

  SourceHealth(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.current = new Snapshot(State.UNKNOWN, null, clock.instant());
  }

  public Snapshot snapshot() {
    return current;
  }

  /** The source answered. */
  public void up() {
    set(State.UP, null);
  }

  /** The source failed for a reason of its own (unreachable, credentials, schema). */
  public void down(String detail) {
    synchronized (this) {
      // still connecting: the failed read says no more than the connection attempts do
      set(current.state() == State.WAITING ? State.WAITING : State.DOWN, detail);
    }
  }

  /** The source is not connected yet; {@code detail} says what the last attempt met. */
  public void waiting(String detail) {
    set(State.WAITING, detail);
  }

  /**
   * Records a failed read or listing when its reason is the source's state ({@code UNAVAILABLE},
   * {@code AUTHENTICATION}, {@code SCHEMA}); a bad request or an interrupted read says nothing
   * about the source.
   */
  public void failed(LogSourceException e) {
    LogSourceException.Reason reason = e.reason();
    if (reason == LogSourceException.Reason.UNAVAILABLE || reason == LogSourceException.Reason.AUTHENTICATION
        || reason == LogSourceException.Reason.SCHEMA) {
      down(e.getMessage());
    }
  }

  private synchronized void set(State state, String detail) {
    Snapshot was = current;
    if (was.state() == state && Objects.equals(was.detail(), detail)) {
      return;
    }
    current = new Snapshot(state, detail, was.state() == state ? was.since() : clock.instant());
  }
}
