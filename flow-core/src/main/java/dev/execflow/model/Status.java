package dev.execflow.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Execution status of a phase, an attempt, a ward or a whole session; written lowercase in JSON. */
public enum Status {
  COMPLETED,
  RUNNING,
  ERROR,
  /** Declared in the cascade but not (yet) started; only produced by a spec overlay. */
  PENDING;

  @JsonValue
  public String json() {
    return name().toLowerCase(Locale.ROOT);
  }

  @JsonCreator
  public static Status fromJson(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }
}
