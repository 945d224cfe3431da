package dev.execflow.model;

/**
 * A handoff edge of the cascade's graph (only produced by a spec overlay).
 *
 * @param from source phase
 * @param to target phase
 * @param declared whether the cascade definition declares this handoff
 * @param taken whether the session actually went from {@code from} to {@code to}
 */
public record Edge(String from, String to, boolean declared, boolean taken) {}
