package dev.execflow.source.clickhouse.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.execflow.spi.LogRow;
import dev.execflow.spi.MutableLogRow;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The test HTTP front over chdb answers the part of ClickHouse's HTTP interface that clients use as
 * a server does, and refuses (never ignores) what it does not implement.
 */
@CurrentEngine
@ExtendWith(ClickHouseServerExtension.class)
class ChdbFrontTest {
  private static ClickHouseServer server;

  @BeforeAll
  static void start(ClickHouseServer s) {
    server = s;
  }

  /** One HTTP exchange: status, the exception-code header, the body. */
  private record Answer(int status, String code, String body) {}

  private static Answer post(String query, String body, String user, String password) throws IOException {
    HttpURLConnection c = (HttpURLConnection) URI.create(server.url() + "/" + query).toURL().openConnection();
    c.setRequestMethod("POST");
    c.setDoOutput(true);
    c.setRequestProperty("Authorization", "Basic " + Base64.getEncoder()
        .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
    try (OutputStream out = c.getOutputStream()) {
      out.write(body.getBytes(StandardCharsets.UTF_8));
    }
    int status = c.getResponseCode();
    try (InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream()) {
      return new Answer(status, c.getHeaderField("X-ClickHouse-Exception-Code"),
          in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  private static Answer post(String query, String body) throws IOException {
    return post(query, body, "default", "");
  }

  private static String param(String name, String value) {
    return name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  @Test
  void itIsAServerOfTheCurrentEngine() {
    assertThat(server.isChdb()).isTrue();
    assertThat(server.majorVersion()).isGreaterThanOrEqualTo(26);
  }

  @Test
  void anErrorIsANon200StatusWithTheCodeInAHeaderAndTheServersTextInTheBody() throws IOException {
    Answer a = post("", "SELECT * FROM " + server.qualified("no_such_table"));
    assertThat(a.status()).isEqualTo(404);
    assertThat(a.code()).isEqualTo("60");
    assertThat(a.body()).startsWith("Code: 60. DB::Exception: ").contains("no_such_table");
  }

  @Test
  void theDatabaseParameterIsTheDefaultDatabaseOfTheQuery() throws IOException {
    Answer a = post("?" + param("database", server.database()), "SELECT currentDatabase()");
    assertThat(a.body()).isEqualTo(server.database() + "\n");
  }

  @Test
  void boundParametersArriveExactlyAsTheServerWouldParseThem() throws IOException {
    // the HTTP value is in escaped text form: \t is a tab, \\ a backslash, \x41 an 'A'
    Answer a = post("?" + param("param_s", "it's\\t\\\\ \\x41 ünï 😀"), "SELECT hex({s:String})");
    String expected = "it's\t\\ A ünï 😀";
    assertThat(a.body().trim()).isEqualTo(hex(expected.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void anUnknownEscapeInABoundParameterKeepsItsBackslashAsTheServerDoes() throws IOException {
    Answer a = post("?" + param("param_s", "back\\slash"), "SELECT {s:String}");
    assertThat(a.body()).isEqualTo("back\\\\slash\n"); // TabSeparated shows the one backslash as \\
  }

  @Test
  void aRawTabInABoundParameterIsNotParsedCompletely() throws IOException {
    Answer a = post("?" + param("param_s", "tab\tbed"), "SELECT {s:String}");
    assertThat(a.code()).isEqualTo("457");
    assertThat(a.body()).contains("isn't parsed completely");
  }

  private static String hex(byte[] bytes) {
    StringBuilder out = new StringBuilder();
    for (byte b : bytes) {
      out.append(String.format("%02X", b));
    }
    return out.toString();
  }

  @Test
  void defaultFormatAppliesWhenTheQueryNamesNoFormat() throws IOException {
    Answer a = post("?" + param("default_format", "JSONEachRow"), "SELECT 1 AS x");
    assertThat(a.body().trim()).isEqualTo("{\"x\":1}");
  }

  @Test
  void aSettingInTheUrlAppliesToThatQueryOnly() throws IOException {
    Answer set = post("?max_threads=1", "SELECT getSetting('max_threads')");
    Answer after = post("", "SELECT getSetting('max_threads') = 1");
    assertThat(set.body().trim()).isEqualTo("1");
    assertThat(after.body().trim()).isEqualTo("0");
  }

  @Test
  void anUnknownSettingIsAnError() throws IOException {
    Answer a = post("?no_such_setting=1", "SELECT 1");
    assertThat(a.code()).isEqualTo("115");
  }

  @Test
  void anInsertTakesItsRowBinaryDataFromTheStreamedBody() {
    LogTable table = LogTable.windlass("front_insert").create(server);
    long sent = table.insert(server, new SyntheticRows("ins", 20_000));
    assertThat(sent).isEqualTo(20_000);
    assertThat(server.execute("SELECT count(), sum(tokens_in), uniqExact(trace_id) FROM " + server.qualified("front_insert")
        + " WHERE session_id = 'ins'").trim()).isEqualTo("20000\t2000000\t20000");
  }

  @Test
  void nullsAndFloatsSurviveTheRowBinaryInsertBitForBit() {
    LogTable table = LogTable.windlass("front_values").create(server);
    table.insert(server, List.<LogRow>of(new MutableLogRow().timestamp(0.1 + 0.2).sessionId("v").nodeType("agent")));
    assertThat(server.execute("SELECT timestamp = 0.1 + 0.2, isNull(cost), isNull(phase_name) FROM "
        + server.qualified("front_values")).trim()).isEqualTo("1\t1\t1");
  }

  @Test
  void aWrongPasswordIsAuthenticationFailed() throws IOException {
    Answer a = post("", "SELECT 1", ClickHouseServer.LOCAL_USER, "wrong");
    assertThat(a.status()).isEqualTo(403);
    assertThat(a.code()).isEqualTo("516");
  }

  @Test
  void theSecondUserWithItsPasswordIsLetIn() throws IOException {
    Answer a = post("", "SELECT 1", ClickHouseServer.LOCAL_USER, ClickHouseServer.LOCAL_PASSWORD);
    assertThat(a.status()).isEqualTo(200);
  }

  @Test
  void compressionIsRefusedRatherThanIgnored() throws IOException {
    Answer a = post("?compress=1", "SELECT 1");
    assertThat(a.status()).isEqualTo(501);
    assertThat(a.body()).contains("not supported by the chdb test front");
  }

  @Test
  void anHttpSessionIsRefusedRatherThanIgnored() throws IOException {
    Answer a = post("?session_id=s", "SELECT 1");
    assertThat(a.status()).isEqualTo(501);
  }
}
