/**
 * The test kit (like {@code zipkin-tests}): the bundled sample sessions with their hand-worked
 * expected JSON ({@link dev.execflow.testing.Samples}, {@link dev.execflow.testing.ExpectedJson}),
 * a session generator with known totals ({@link dev.execflow.testing.SessionGenerator}), a sink that
 * records ({@link dev.execflow.testing.RecordingSink}) and the conformance suite for sources
 * ({@link dev.execflow.testing.conformance}). Test scope only: it depends on JUnit and AssertJ.
 */
package dev.execflow.testing;
