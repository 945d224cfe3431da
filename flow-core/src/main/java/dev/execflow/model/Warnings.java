package dev.execflow.model;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the assembler or source could not interpret, counted rather than thrown.
 *
 * @param count total number of warnings
 * @param byKind count per kind, e.g. {@code unknown_node_type}, {@code bad_metadata_json}
 * @param samples the first few warnings in words (bounded), for a person reading the output
 */
@JsonPropertyOrder({"count", "byKind", "samples"})
public record Warnings(long count, Map<String, Long> byKind, List<String> samples) {
  public static final Warnings NONE = new Warnings(0, Map.of(), List.of());

  public Warnings {
    byKind = Collections.unmodifiableMap(new LinkedHashMap<>(byKind));
    samples = List.copyOf(samples);
  }
}
