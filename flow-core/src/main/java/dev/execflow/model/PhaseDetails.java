package dev.execflow.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Inner details of a phase; each part is null (absent in JSON) when the phase had none of it.
 *
 * @param soundings the phase's soundings, or null
 * @param reforge the phase's reforge steps, or null
 * @param wards ward results keyed {@code pre_0, pre_1, post_0, turn_0 ...}: numbered per kind in
 *     the order each validator first ran in the phase; empty when the phase has no wards
 */
@JsonPropertyOrder({"soundings", "reforge", "wards"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PhaseDetails(Soundings soundings, Reforge reforge, Map<String, WardResult> wards) {
  public static final PhaseDetails EMPTY = new PhaseDetails(null, null, Map.of());

  public PhaseDetails {
    wards = wards == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(wards));
  }
}
