package dev.execflow.follow;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock a test moves by hand. */
final class ManualClock extends Clock {
  private Instant now;

  ManualClock(double epochSeconds) {
    now = Instant.ofEpochMilli(Math.round(epochSeconds * 1000));
  }

  void advance(Duration d) {
    now = now.plus(d);
  }

  void advanceSeconds(double s) {
    advance(Duration.ofMillis(Math.round(s * 1000)));
  }

  @Override public Instant instant() {
    return now;
  }

  @Override public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override public Clock withZone(ZoneId zone) {
    return this;
  }
}
