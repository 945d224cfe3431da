package dev.execflow.source.clickhouse;

import com.clickhouse.client.api.Client;
import dev.execflow.assemble.Vocabulary;
import dev.execflow.spi.ColumnMapping;
import java.time.Duration;

/**
 * What a {@link ClickHouseLogSourceBuilder} was told, fixed when the source is built (a builder
 * used again afterwards does not change that source).
 *
 * @param mapping null: detect it from the table's columns on connect
 * @param client null: the source builds (and owns) its own
 */
record Settings(String endpoint, String user, String password, String database, String table,
    ColumnMapping mapping, Compression compression, Duration connectTimeout, Duration socketTimeout,
    Duration maxExecutionTime, int contentLimit, boolean contentForEveryRow, Vocabulary vocabulary, Client client,
    Strategy strategy, long pushdownThreshold, int parallelRanges) {

  /** {@code database.table} as messages name it. */
  String qualified() {
    return database + "." + table;
  }
}
