/**
 * Cascade definitions (the graph a session runs through) and the overlay of a session's execution
 * on that graph.
 *
 * <ul>
 *   <li>{@link dev.execflow.cascade.CascadeDefinitionReader} reads one definition (JSON, or YAML when
 *       jackson-dataformat-yaml is on the classpath; {@code phases}/{@code soundings} or the later
 *       {@code cells}/{@code candidates}) into an immutable {@link dev.execflow.cascade.CascadeDefinition},
 *       with errors naming file and field and warnings for what it ignored.
 *   <li>{@link dev.execflow.cascade.CascadeCatalog} loads a directory or classpath folder of them,
 *       indexed by {@code cascade_id}, listing bad files instead of failing, and serves the JSON
 *       of {@code /api/cascade-definitions} ({@link dev.execflow.cascade.CascadeDefinitionJson}).
 *   <li>{@link dev.execflow.cascade.ExecutionOverlay} adds the definition to an {@code ExecutionData}:
 *       pending phases, attempts and wards, progress, declared and taken edges.
 * </ul>
 *
 * <pre>{@code
 * CascadeCatalog catalog = CascadeCatalog.load(Path.of("cascades"));
 * ExecutionData data = ExecutionAssembler.assemble(source, SessionQuery.of(id), AssemblyOptions.defaults());
 * ExecutionData overlaid = catalog.overlay(data); // = ExecutionOverlay.apply(data, catalog.find(cascadeId))
 * }</pre>
 */
package dev.execflow.cascade;
