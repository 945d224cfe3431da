package dev.execflow.source.clickhouse.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Asks {@link ClickHouseServerExtension} for ClickHouse's current engine instead of the default
 * server: chdb behind the test HTTP front ({@link ClickHouseServer#startChdb()}), one per test JVM.
 * Without node or the chdb package the class's tests are skipped loudly, and fail when {@code
 * CI=true}. On a test class, it also covers the class's {@code @Nested} classes, inherited ones
 * included; so the usual way to run a suite on both engines is an annotated subclass:
 *
 * <pre>{@code
 * @CurrentEngine
 * class TableLayoutOnCurrentEngineTest extends TableLayoutTest {}
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface CurrentEngine {}
