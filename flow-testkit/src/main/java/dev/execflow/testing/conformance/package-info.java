/**
 * The conformance suite every {@link dev.execflow.spi.LogSource} runs, in families a backend runs
 * through {@code @Nested} subclasses (see {@link dev.execflow.testing.conformance.ConformanceFamily}):
 * {@link dev.execflow.testing.conformance.ReadConformance}, {@link
 * dev.execflow.testing.conformance.TimeRangeConformance}, {@link
 * dev.execflow.testing.conformance.ListingConformance} (with the listing == fold law), {@link
 * dev.execflow.testing.conformance.CancellationConformance}, {@link
 * dev.execflow.testing.conformance.HostileIdConformance} and {@link
 * dev.execflow.testing.conformance.FollowConformance} (following a running session by cursor).
 */
package dev.execflow.testing.conformance;
