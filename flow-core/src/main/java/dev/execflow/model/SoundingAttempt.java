package dev.execflow.model;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One sounding (candidate) of a phase.
 *
 * @param index the row's {@code sounding_index}; attempts are listed in ascending index order
 * @param status completed, error, running (started, no result yet) or pending (overlay only)
 * @param preview the first characters of the sounding's output, or null when none was logged
 * @param cost the cost of this sounding's LLM calls, each call counted once
 * @param winner whether this attempt is the phase's winning sounding
 */
@JsonPropertyOrder({"index", "status", "preview", "cost", "winner"})
public record SoundingAttempt(int index, Status status, String preview, double cost, boolean winner) {}
