package dev.execflow.source.clickhouse.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.execflow.source.clickhouse.testing.ClickHouseServer;
import dev.execflow.source.clickhouse.testing.ClickHouseServerExtension;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The RowBinary reader on real server output, including the broken kinds. */
@ExtendWith(ClickHouseServerExtension.class)
class RowBinaryInputTest {
  private static final String ROWS = "SELECT toFloat64(number) / 2 AS f, "
      + "if(number % 3 = 0, NULL, toNullable(concat('v', toString(number)))) AS s, "
      + "toInt64(number) - 5 AS i FROM system.numbers ";

  private static long readAll(RowBinaryInput in) throws IOException {
    long n = 0;
    while (!in.atEnd()) {
      double f = in.float64();
      String s = in.nullableString(0);
      long i = in.int64();
      assertThat(f).isEqualTo(n / 2.0);
      assertThat(s).isEqualTo(n % 3 == 0 ? null : "v" + n);
      assertThat(i).isEqualTo(n - 5);
      n++;
    }
    return n;
  }

  @Test
  void readsEveryValueOfAStreamThatSpansManyBuffers(ClickHouseServer server) throws IOException {
    byte[] body = server.executeBinary(ROWS + "LIMIT 100000 FORMAT RowBinary");
    assertThat(readAll(new RowBinaryInput(new ByteArrayInputStream(body), 1))).isEqualTo(100_000);
  }

  @Test
  void aStreamCutInsideARowIsAnErrorNotAnEnd(ClickHouseServer server) {
    byte[] body = server.executeBinary(ROWS + "LIMIT 1000 FORMAT RowBinary");
    byte[] cut = Arrays.copyOf(body, body.length - 3);
    IOException e = catchThrowableOfType(IOException.class,
        () -> readAll(new RowBinaryInput(new ByteArrayInputStream(cut), 1)));
    assertThat(e).hasMessageContaining("ended inside a row");
  }

  @Test
  void anErrorTheServerAppendsToAStartedResponseIsAnErrorQuotingIt(ClickHouseServer server) {
    // without ORDER BY the server streams blocks as they are computed; servers before 19 append
    // their error text to the rows already sent (newer ones mark the stream as failed instead)
    byte[] body = server.executeBinary(ROWS + "WHERE throwIf(number = 200000) = 0 LIMIT 300000 FORMAT RowBinary");
    IOException e = catchThrowableOfType(IOException.class,
        () -> readAll(new RowBinaryInput(new ByteArrayInputStream(body), 1)));
    assertThat(e).isNotNull();
    if (server.majorVersion() < 19) {
      assertThat(e).hasMessageContaining("malformed RowBinary").hasMessageContaining("Code: 395");
    }
  }
}
