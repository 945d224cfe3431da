package dev.execflow.model;

/**
 * One handoff that happened: phase {@code from} ended and {@code to} started at epoch seconds
 * {@code at} (null when the start row had no timestamp). A phase that hands off more than once
 * appears in several transitions.
 */
public record Transition(String from, String to, Double at) {}
