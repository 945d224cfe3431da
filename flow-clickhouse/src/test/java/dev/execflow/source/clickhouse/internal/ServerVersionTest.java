package dev.execflow.source.clickhouse.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ServerVersionTest {
  @Test
  void debian18HasNeitherQueryParametersNorWorkingCompression() {
    ServerVersion v = ServerVersion.parse("18.16.1");
    assertThat(v.major()).isEqualTo(18);
    assertThat(v.supportsQueryParameters()).isFalse();
    assertThat(v.mayCompress()).isFalse();
  }

  @Test
  void currentServersGetBoth() {
    ServerVersion v = ServerVersion.parse("24.8.4.13");
    assertThat(v.supportsQueryParameters()).isTrue();
    assertThat(v.mayCompress()).isTrue();
  }

  @Test
  void unparseableVersionCountsAsOldest() {
    assertThat(ServerVersion.parse("weird").major()).isZero();
  }
}
