package dev.execflow.source.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.execflow.assemble.AssemblyOptions;
import dev.execflow.assemble.ExecutionAssembler;
import dev.execflow.source.clickhouse.testing.ClickHouseServer;
import dev.execflow.source.clickhouse.testing.ClickHouseServerExtension;
import dev.execflow.source.clickhouse.testing.LogTable;
import dev.execflow.spi.LogRow;
import dev.execflow.spi.SessionQuery;
import dev.execflow.testing.Samples;
import dev.execflow.testing.SessionGenerator;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A session read as K time ranges at once and merged folds to what one read gives. */
@ExtendWith(ClickHouseServerExtension.class)
class ParallelRangesTest {
  private static final String TABLE = "parallel_ranges";
  private static ClickHouseServer server;
  private static ClickHouseLogSource one;
  private static ClickHouseLogSource four;

  @BeforeAll
  static void load(ClickHouseServer s) {
    server = s;
    List<LogRow> rows = new ArrayList<>(PitfallRows.of(new SessionGenerator(31).withSessionId("pr-pitfalls"), 20_000)
        .seed(11).rows());
    for (String name : Samples.names()) {
      rows.addAll(FoldsAlike.sample(name, "pr-sample-" + name));
    }
    rows.addAll(FoldsAlike.sample("simple", "pr-untimed"));
    LogTable.windlass(TABLE).create(server).insert(server, rows);
    server.execute("INSERT INTO " + server.qualified(TABLE) + " (timestamp, session_id, trace_id, node_type, role)"
        + " VALUES (nan, 'pr-untimed', 'no-time', 'tool_call', 'tool')");
    one = TestServers.source(server, TABLE).strategy(Strategy.STREAM).build();
    four = TestServers.source(server, TABLE).strategy(Strategy.STREAM).parallelRanges(4).build();
  }

  @AfterAll
  static void close() {
    one.close();
    four.close();
  }

  private static void foldsAlike(String sessionId, int ranges) {
    ExecutionAssembler whole = new ExecutionAssembler();
    FoldReport single = one.fold(SessionQuery.of(sessionId), whole);
    ExecutionAssembler parts = new ExecutionAssembler();
    FoldReport how = four.fold(SessionQuery.of(sessionId), parts);

    assertThat(how.ranges()).as("%s", how).isEqualTo(ranges);
    assertThat(how.rows()).isEqualTo(single.rows());
    assertThat(parts.snapshot()).as("%s", how).isEqualTo(whole.snapshot());
  }

  @Test
  void aSessionReadInFourRangesAtOnceFoldsAsOneRead() {
    foldsAlike("pr-pitfalls", 4);
  }

  @Test
  void eachSampleFoldsAlikeInRanges() {
    for (String name : Samples.names()) {
      foldsAlike("pr-sample-" + name, 4);
    }
  }

  @Test
  void aSessionWhoseRangesForgetCallsIsReadAgainInOne() {
    // a trace index this small forgets calls within each range: a later range that counted a call's
    // cost and then forgot it could not give it back at the merge (counted twice), so it is not used
    AssemblyOptions small = AssemblyOptions.builder().traceIndexCapacity(64).build();
    ExecutionAssembler whole = new ExecutionAssembler(small);
    one.fold(SessionQuery.of("pr-pitfalls"), whole);
    ExecutionAssembler parts = new ExecutionAssembler(small);
    FoldReport how = four.fold(SessionQuery.of("pr-pitfalls"), parts);

    assertThat(parts.snapshot()).as("%s", how).isEqualTo(whole.snapshot());
    assertThat(how.ranges()).as("%s", how).isEqualTo(1);
    assertThat(how.declined()).as("%s", how).contains("forgot");
  }

  @Test
  void aSessionWithARowWithoutTimeIsReadInOne() {
    foldsAlike("pr-untimed", 1);
  }
}
