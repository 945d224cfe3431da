package dev.execflow.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How one session (one cascade run) executed: the seed's {@code executionData}.
 *
 * <p>{@code executedPath}, {@code executedHandoffs}, {@code phases} and {@code summary} are the
 * public contract; the rest are additive. Produced by {@code ExecutionAssembler.snapshot()}:
 *
 * <pre>{@code
 * ExecutionAssembler assembler = new ExecutionAssembler(AssemblyOptions.defaults());
 * source.read(SessionQuery.of("sess-42"), assembler);
 * ExecutionData data = assembler.snapshot();
 * String json = ExecutionJson.write(data);
 * }</pre>
 *
 * @param sessionId the session's id, null for an empty session
 * @param cascadeId the cascade's id from the session-start row, null when not logged
 * @param executedPath phase names in the order they started; a phase that ran twice appears twice
 * @param executedHandoffs for each phase that handed off, the phase it last handed off to
 * @param phases per-phase results keyed by phase name, in order of first appearance (after a
 *     spec overlay: the definition's order, then phases the definition lacks)
 * @param summary totals
 * @param transitions every handoff in order, with its time (the full story behind {@code
 *     executedHandoffs})
 * @param edges the cascade graph's edges with taken flags (overlay only), else null
 * @param warnings what could not be interpreted
 */
@JsonPropertyOrder({"sessionId", "cascadeId", "executedPath", "executedHandoffs", "phases", "summary",
    "transitions", "edges", "warnings"})
public record ExecutionData(
    String sessionId,
    String cascadeId,
    List<String> executedPath,
    Map<String, String> executedHandoffs,
    Map<String, PhaseExecution> phases,
    Summary summary,
    List<Transition> transitions,
    @JsonInclude(JsonInclude.Include.NON_NULL) List<Edge> edges,
    Warnings warnings) {

  public ExecutionData {
    executedPath = List.copyOf(executedPath);
    executedHandoffs = Collections.unmodifiableMap(new LinkedHashMap<>(executedHandoffs));
    phases = Collections.unmodifiableMap(new LinkedHashMap<>(phases));
    transitions = List.copyOf(transitions);
    edges = edges == null ? null : List.copyOf(edges);
    warnings = warnings == null ? Warnings.NONE : warnings;
  }

  /** The same data with other phases, summary and edges (used by the spec overlay). */
  public ExecutionData withOverlay(Map<String, PhaseExecution> newPhases, Summary newSummary,
      List<Edge> newEdges, Warnings newWarnings) {
    return new ExecutionData(sessionId, cascadeId, executedPath, executedHandoffs, newPhases,
        newSummary, transitions, newEdges, newWarnings);
  }
}
