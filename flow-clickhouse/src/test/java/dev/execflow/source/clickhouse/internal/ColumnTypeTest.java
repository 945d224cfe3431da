package dev.execflow.source.clickhouse.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.execflow.source.clickhouse.internal.ColumnType.Family;
import org.junit.jupiter.api.Test;

class ColumnTypeTest {
  @Test
  void wrappersAreRemovedAndNullabilityKept() {
    ColumnType t = ColumnType.parse("LowCardinality(Nullable(String))");
    assertThat(t.base()).isEqualTo("String");
    assertThat(t.family()).isEqualTo(Family.STRING);
    assertThat(t.nullable()).isTrue();
    assertThat(t.plainString()).isTrue();
  }

  @Test
  void timestampsOfBothSchemasAreRecognised() {
    assertThat(ColumnType.parse("Float64").family()).isEqualTo(Family.FLOAT);
    assertThat(ColumnType.parse("DateTime64(6)").family()).isEqualTo(Family.DATETIME64);
    assertThat(ColumnType.parse("DateTime64(6, 'UTC')").family()).isEqualTo(Family.DATETIME64);
    assertThat(ColumnType.parse("DateTime('UTC')").family()).isEqualTo(Family.DATETIME);
  }

  @Test
  void otherFamilies() {
    assertThat(ColumnType.parse("UInt8").family()).isEqualTo(Family.INTEGER);
    assertThat(ColumnType.parse("Bool").family()).isEqualTo(Family.BOOL);
    assertThat(ColumnType.parse("UUID").family()).isEqualTo(Family.STRING);
    assertThat(ColumnType.parse("UUID").plainString()).isFalse();
    assertThat(ColumnType.parse("Array(String)").family()).isEqualTo(Family.OTHER);
  }
}
