/**
 * The fold: {@link dev.execflow.assemble.ExecutionAssembler} turns one session's rows into {@link
 * dev.execflow.model.ExecutionData}, streaming, in bounded memory, mergeable over time ranges.
 * {@link dev.execflow.assemble.AssemblyOptions} sets its bounds, {@link
 * dev.execflow.assemble.Vocabulary} what the rows mean ({@link dev.execflow.assemble.RowKind}),
 * and {@link dev.execflow.assemble.SessionTally} and {@link dev.execflow.assemble.Pricing} give a
 * listing the fold's own rules.
 *
 * <pre>{@code
 * ExecutionData data = ExecutionAssembler.assemble(source, SessionQuery.of("sess-42"), AssemblyOptions.defaults());
 * }</pre>
 *
 * <p>The package-private classes are the fold's parts (each owns its state, copy and merge):
 * {@code DuplicateWindow}, {@code SessionFacts}, {@code PhaseTable}, {@code CallPlacement}, {@code
 * VisitLog}, with {@code DetailRows}/{@code CallRows} routing rows to them and {@code Snapshot}
 * reading them out.
 */
package dev.execflow.assemble;
