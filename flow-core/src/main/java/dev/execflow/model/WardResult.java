package dev.execflow.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The result of one ward (validator) of a phase, read from the ward row's {@code metadata_json}.
 *
 * @param valid whether the validator passed; null when it has not run (overlay) or did not say
 * @param reason the validator's reason, may be null
 * @param validator the validator's name, may be null
 * @param mode blocking, advisory or retry, may be null
 * @param blocked whether this ward stopped the phase (a {@code *_ward_blocked} row followed)
 */
@JsonPropertyOrder({"valid", "reason", "validator", "mode", "blocked"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WardResult(
    @JsonInclude(JsonInclude.Include.ALWAYS) Boolean valid,
    @JsonInclude(JsonInclude.Include.ALWAYS) String reason,
    String validator,
    String mode,
    boolean blocked) {}
