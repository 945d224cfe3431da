package dev.execflow.source.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.execflow.spi.LogSourceException;
import dev.execflow.spi.LogSourceException.Reason;
import org.junit.jupiter.api.Test;

/** What the builder refuses before connecting, each with a message a user can act on. */
class EndpointCheckTest {
  private static LogSourceException refused(String url) {
    return catchThrowableOfType(LogSourceException.class, () -> ClickHouseLogSource.builder().endpoint(url));
  }

  @Test
  void anHttpOrHttpsUrlWithAHostIsAccepted() {
    assertThat(ClickHouseLogSource.checkEndpoint("http://localhost:8123")).isEqualTo("http://localhost:8123");
    assertThat(ClickHouseLogSource.checkEndpoint(" https://ch.example:8443/ ")).isEqualTo("https://ch.example:8443/");
  }

  @Test
  void aUserAndPasswordInTheUrlAreRefusedWithoutRepeatingThem() {
    LogSourceException e = refused("http://alice:s3cret@localhost:8123");

    assertThat(e.reason()).isEqualTo(Reason.BAD_INPUT);
    assertThat(e).hasMessageContaining("credentials in the ClickHouse URL are refused")
        .hasMessageContaining("--password-env").hasMessageNotContaining("s3cret").hasMessageNotContaining("alice");
  }

  @Test
  void aPasswordParameterIsRefusedWithoutRepeatingIt() {
    assertThat(refused("http://localhost:8123/?user=bob&password=s3cret"))
        .hasMessageContaining("credentials").hasMessageNotContaining("s3cret");
  }

  @Test
  void aUrlWithoutSchemeSaysHttpIsExpected() {
    assertThat(refused("localhost:8123")).hasMessageContaining("not an http:// or https:// URL")
        .hasMessageContaining("http://localhost:8123");
  }

  @Test
  void theNativeProtocolIsRefusedPointingAtTheHttpPort() {
    assertThat(refused("tcp://localhost:9000")).hasMessageContaining("HTTP interface").hasMessageContaining("8123");
  }

  @Test
  void aUrlWithoutHostOrWithASpaceIsRefused() {
    assertThat(refused("http://")).hasMessageContaining("is not a URL");
    assertThat(refused("http:///path")).hasMessageContaining("has no host");
    assertThat(refused("http://local host:8123")).hasMessageContaining("is not a URL");
    assertThat(refused("")).hasMessageContaining("no ClickHouse URL");
  }

  @Test
  void emptyDatabaseOrTableNamesAreRefusedNamingWhich() {
    assertThat(catchThrowableOfType(LogSourceException.class,
        () -> ClickHouseLogSource.builder().table("", "unified_logs"))).hasMessage("the ClickHouse database name is empty");
    assertThat(catchThrowableOfType(LogSourceException.class,
        () -> ClickHouseLogSource.builder().table("default", ""))).hasMessage("the ClickHouse table name is empty");
  }

  @Test
  void anUnknownSchemaNameIsRefusedNamingTheChoices() {
    LogSourceException e = catchThrowableOfType(LogSourceException.class,
        () -> ClickHouseLogSource.builder().schema("windlas"));

    assertThat(e.reason()).isEqualTo(Reason.BAD_INPUT);
    assertThat(e).hasMessage("unknown schema 'windlas': use windlass, rvbbit or auto");
  }

  @Test
  void connectingToNoServerIsUnavailableRatherThanASourceThatFailsLater() {
    LogSourceException e = catchThrowableOfType(LogSourceException.class,
        () -> ClickHouseLogSource.builder().endpoint("http://127.0.0.1:1").schema("RVBBIT").connect());

    assertThat(e.reason()).isEqualTo(Reason.UNAVAILABLE);
  }
}
