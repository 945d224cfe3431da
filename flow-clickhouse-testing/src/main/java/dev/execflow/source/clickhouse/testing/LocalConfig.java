package dev.execflow.source.clickhouse.testing;

import java.nio.file.Path;

/**
 * The configuration of a private {@code clickhouse-server}: loopback ports, a data directory, the
 * test users and their profiles, and a two-shard cluster on the server itself ({@link
 * ClickHouseServer#CLUSTER}) whose shards are two databases of it, for {@code Distributed} tables.
 */
final class LocalConfig {
  private LocalConfig() {}

  static String xml(Path home, int httpPort, int tcpPort) {
    String data = home.resolve("data").toString() + "/";
    return "<?xml version=\"1.0\"?>\n"
        + "<yandex>\n"
        + "  <logger><level>warning</level><console>1</console></logger>\n"
        + "  <listen_host>127.0.0.1</listen_host>\n"
        + "  <http_port>" + httpPort + "</http_port>\n"
        + "  <tcp_port>" + tcpPort + "</tcp_port>\n"
        + "  <path>" + data + "</path>\n"
        + "  <tmp_path>" + data + "tmp/</tmp_path>\n"
        + "  <user_files_path>" + data + "user_files/</user_files_path>\n"
        + "  <format_schema_path>" + data + "format_schemas/</format_schema_path>\n"
        + "  <mark_cache_size>67108864</mark_cache_size>\n"
        + "  <uncompressed_cache_size>67108864</uncompressed_cache_size>\n"
        + "  <max_concurrent_queries>50</max_concurrent_queries>\n"
        + "  <keep_alive_timeout>10</keep_alive_timeout>\n"
        + "  <timezone>UTC</timezone>\n"
        + "  <mlock_executable>false</mlock_executable>\n"
        + "  <default_profile>default</default_profile>\n"
        + "  <default_database>default</default_database>\n"
        + cluster(tcpPort)
        + "  <users>\n"
        + "    <default><password></password><networks><ip>127.0.0.1</ip><ip>::1</ip></networks>"
        + "<profile>default</profile><quota>default</quota></default>\n"
        + "    <" + ClickHouseServer.LOCAL_USER + "><password>" + ClickHouseServer.LOCAL_PASSWORD
        + "</password><networks><ip>127.0.0.1</ip><ip>::1</ip></networks><profile>default</profile>"
        + "<quota>default</quota></" + ClickHouseServer.LOCAL_USER + ">\n"
        + limitedUser(ClickHouseServer.RESULT_LIMITED_USER, "result_limit")
        + limitedUser(ClickHouseServer.READ_LIMITED_USER, "read_limit")
        + limitedUser(ClickHouseServer.READONLY_LIMITED_USER, "readonly_limit")
        + "  </users>\n"
        + "  <profiles><default><max_memory_usage>4000000000</max_memory_usage>"
        + "<max_threads>2</max_threads></default>\n"
        + "    <result_limit><max_threads>2</max_threads><max_result_rows>" + ClickHouseServer.RESULT_LIMIT
        + "</max_result_rows><result_overflow_mode>break</result_overflow_mode></result_limit>\n"
        + "    <read_limit><max_threads>2</max_threads><max_rows_to_read>" + ClickHouseServer.READ_LIMIT
        + "</max_rows_to_read><read_overflow_mode>break</read_overflow_mode></read_limit>\n"
        + "    <readonly_limit><max_threads>2</max_threads><readonly>1</readonly><max_result_rows>"
        + ClickHouseServer.RESULT_LIMIT + "</max_result_rows><result_overflow_mode>break</result_overflow_mode>"
        + "</readonly_limit>\n"
        + "  </profiles>\n"
        + "  <quotas><default></default></quotas>\n"
        + "</yandex>\n";
  }

  /**
   * Two shards on this very server, each a database of its own ({@code <default_database>}), so
   * that {@code Distributed(cluster, '', table, rand())} spreads rows over two local tables.
   */
  private static String cluster(int tcpPort) {
    StringBuilder shards = new StringBuilder();
    for (String database : ClickHouseServer.SHARD_DATABASES) {
      shards.append("      <shard><replica><host>127.0.0.1</host><port>").append(tcpPort)
          .append("</port><default_database>").append(database).append("</default_database></replica></shard>\n");
    }
    return "  <remote_servers>\n    <" + ClickHouseServer.CLUSTER + ">\n" + shards
        + "    </" + ClickHouseServer.CLUSTER + ">\n  </remote_servers>\n";
  }

  private static String limitedUser(String name, String profile) {
    return "    <" + name + "><password></password><networks><ip>127.0.0.1</ip><ip>::1</ip></networks><profile>"
        + profile + "</profile><quota>default</quota></" + name + ">\n";
  }
}
