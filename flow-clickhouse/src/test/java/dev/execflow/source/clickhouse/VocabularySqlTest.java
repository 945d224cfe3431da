package dev.execflow.source.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.execflow.assemble.RowKind;
import dev.execflow.assemble.Vocabulary;
import dev.execflow.source.clickhouse.internal.Sql;
import dev.execflow.source.clickhouse.testing.ClickHouseServer;
import dev.execflow.source.clickhouse.testing.ClickHouseServerExtension;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The vocabulary compiled to SQL classifies every (node type, role) pair as {@link
 * Vocabulary#classify} does, NULLs included: what lets the listing and the content filter agree
 * with the fold.
 */
@ExtendWith(ClickHouseServerExtension.class)
class VocabularySqlTest {
  private static final Vocabulary VOCABULARY = Vocabulary.defaults().withNodeType("llm_response", RowKind.LLM_CALL);

  @Test
  void everyPairGetsTheKindClassifyGivesIt(ClickHouseServer server) {
    Set<String> nodeTypes = new LinkedHashSet<>(VOCABULARY.nodeTypeRules().keySet());
    nodeTypes.addAll(VOCABULARY.structureRules().keySet());
    nodeTypes.addAll(List.of("mystery", "Agent", ""));
    Set<String> roles = new LinkedHashSet<>(VOCABULARY.roleRules().keySet());
    roles.addAll(VOCABULARY.fallbackRoleRules().keySet());
    roles.addAll(List.of(Vocabulary.STRUCTURE, "system", "wizard", ""));
    List<String[]> pairs = new ArrayList<>();
    for (String n : withNull(nodeTypes)) {
      for (String r : withNull(roles)) {
        pairs.add(new String[] {n, r});
      }
    }
    StringBuilder values = new StringBuilder();
    for (int i = 0; i < pairs.size(); i++) {
      values.append(i == 0 ? "" : " UNION ALL ").append("SELECT ").append(i).append(" AS i, ")
          .append(nullable(pairs.get(i)[0])).append(" AS n, ").append(nullable(pairs.get(i)[1])).append(" AS r");
    }
    StringBuilder sql = new StringBuilder("SELECT ");
    for (RowKind kind : RowKind.values()) {
      sql.append(kind.ordinal() == 0 ? "" : ", ")
          .append("toUInt8(ifNull(").append(VOCABULARY.sqlCondition(EnumSet.of(kind), "n", "r", Sql::literal))
          .append(", 0))");
    }
    sql.append(" FROM (").append(values).append(") ORDER BY i FORMAT TabSeparated"); // UNION ALL has no order

    String[] lines = server.execute(sql.toString()).split("\n");

    assertThat(lines).hasSize(pairs.size());
    for (int i = 0; i < pairs.size(); i++) {
      String[] cells = lines[i].split("\t");
      RowKind expected = VOCABULARY.classify(pairs.get(i)[0], pairs.get(i)[1]);
      for (RowKind kind : RowKind.values()) {
        assertThat(cells[kind.ordinal()]).as("%s/%s is %s: %s", pairs.get(i)[0], pairs.get(i)[1], expected, kind)
            .isEqualTo(kind == expected ? "1" : "0");
      }
    }
  }

  @Test
  void theKindCodeIsTheKindClassifyGives(ClickHouseServer server) {
    List<String[]> pairs = pairs();
    StringBuilder sql = new StringBuilder("SELECT ")
        .append(dev.execflow.source.clickhouse.internal.SelectPlan.kindSql(VOCABULARY, "n", "r")).append(", ")
        .append(VOCABULARY.sqlKind("n", "r", Sql::literal, Vocabulary.caseLookup(Sql::literal)))
        .append(" FROM (").append(values(pairs)).append(") ORDER BY i FORMAT TabSeparated");

    String[] lines = server.execute(sql.toString()).split("\n");

    assertThat(lines).hasSize(pairs.size());
    for (int i = 0; i < pairs.size(); i++) {
      RowKind expected = VOCABULARY.classify(pairs.get(i)[0], pairs.get(i)[1]);
      assertThat(lines[i].split("\t")).as("%s/%s", pairs.get(i)[0], pairs.get(i)[1])
          .containsExactly(Integer.toString(expected.ordinal()), Integer.toString(expected.ordinal()));
    }
  }

  private static List<String[]> pairs() {
    Set<String> nodeTypes = new LinkedHashSet<>(VOCABULARY.nodeTypeRules().keySet());
    nodeTypes.addAll(VOCABULARY.structureRules().keySet());
    nodeTypes.addAll(List.of("mystery", "Agent", ""));
    Set<String> roles = new LinkedHashSet<>(VOCABULARY.roleRules().keySet());
    roles.addAll(VOCABULARY.fallbackRoleRules().keySet());
    roles.addAll(List.of(Vocabulary.STRUCTURE, "system", "wizard", ""));
    List<String[]> pairs = new ArrayList<>();
    for (String n : withNull(nodeTypes)) {
      for (String r : withNull(roles)) {
        pairs.add(new String[] {n, r});
      }
    }
    return pairs;
  }

  private static String values(List<String[]> pairs) {
    StringBuilder values = new StringBuilder();
    for (int i = 0; i < pairs.size(); i++) {
      values.append(i == 0 ? "" : " UNION ALL ").append("SELECT ").append(i).append(" AS i, ")
          .append(nullable(pairs.get(i)[0])).append(" AS n, ").append(nullable(pairs.get(i)[1])).append(" AS r");
    }
    return values.toString();
  }

  private static List<String> withNull(Set<String> values) {
    List<String> all = new ArrayList<>(values);
    all.add(null);
    return all;
  }

  private static String nullable(String value) {
    return value == null ? "CAST(NULL AS Nullable(String))" : "toNullable(" + Sql.literal(value) + ")";
  }
}
