package dev.execflow.source.clickhouse;

/**
 * Whether reads ask the server to compress its answer ({@code compress=1}, ClickHouse's LZ4
 * framing). Whatever is chosen is verified on connect by a probe query with a known answer,
 * because a server that mishandles it fails silently: Debian's 18.16 answers a compressed request
 * with an empty body (zero rows, no error), and with HTTP compression on as well the values come
 * back garbled.
 */
public enum Compression {
  /** On for servers from 19 on whose probe answers correctly; off otherwise (the default). */
  AUTO,
  /** Always on; connecting fails if the probe answers wrongly. */
  ON,
  /** Always off: more bytes on the wire, nothing to go wrong. */
  OFF
}
