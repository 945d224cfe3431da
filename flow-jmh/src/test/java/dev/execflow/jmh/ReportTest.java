package dev.execflow.jmh;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URISyntaxException;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The tables of BENCHMARKS.md derive rows/s, bytes/row and the ratios from JMH's own numbers. */
class ReportTest {
  private static String report;

  @BeforeAll
  static void render() throws Exception {
    report = new Report(resource("jmh-result-sample.json")).render();
  }

  private static Path resource(String name) throws URISyntaxException {
    return Path.of(ReportTest.class.getClassLoader().getResource(name).toURI());
  }

  @Test
  void foldRowsPerSecondAndBytesPerRowComeFromTheRowsCounterAndTheNormalisedAllocation() {
    // 20M rows/s ± 1M; 800,000 B/op over 1,000,000 rows
    assertThat(report).contains("| 1000000 | 20.0 ± 1.0 M | 50.00 ± 2.50 | 0.800 ± 0.000 |");
  }

  @Test
  void theBaselineRatioIsFoldOverNaiveFromTheSameRun() {
    // 20M / 1M = 20x, relative errors 5% and 10% combined
    assertThat(report).contains("| 1000000 | 1.00 ± 0.10 M | 20.0 ± 1.0 M | 20.0 ± 2.2 x | 1200 ± 0 | 0.800 ± 0.000 |");
  }

  @Test
  void mergeSpeedupIsAgainstTheOnePartRun() {
    assertThat(report).contains("| 10000000 | 2 | 30.0 ± 1.0 M | 1.50 ± 0.09 x | 100.0 µs |");
  }

  @Test
  void clickHouseEndToEndIsComparedWithTheServersOwnScan() {
    assertThat(report).contains("| 1000000 | streamAndAssemble | 500.0 ± 0.0 ms | 2.00 ± 0.00 M | 2.00 ± 0.00 x |");
  }

  @Test
  void eachJdbcBackendIsComparedWithTheClientV2SourceOfTheSameRun() {
    assertThat(report).contains("| 1000000 | readAndAssemble | duckdb-parquet | 500.0 ± 0.0 ms | 2.00 ± 0.00 M | 2.00 ± 0.00 x | 300 ± 0 |");
  }
}
