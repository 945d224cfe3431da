package dev.execflow.source.clickhouse;

import com.clickhouse.client.api.query.QueryResponse;
import dev.execflow.source.clickhouse.internal.RowBinaryInput;
import dev.execflow.source.clickhouse.internal.RowDecoder;
import java.io.IOException;

/**
 * A RowBinary response's rows one at a time, decoded into the decoder's one reused row, for every
 * read of rows (a session, several sessions, pushdown's streamed rows): a stream that breaks and a
 * reader interrupted meanwhile (checked every 1,024 rows) become the source's errors, saying how
 * many rows got through.
 *
 * <pre>{@code
 * DecodedRows rows = new DecodedRows(q, response, new RowDecoder(sessionId, limit), what, flight);
 * while (rows.next()) {
 *   if (rows.problem == null) { rows.delivered++; sink.accept(rows.decoder.row()); }
 * }
 * }</pre>
 */
final class DecodedRows {
  final RowBinaryInput in;
  final RowDecoder decoder;
  private final QueryRunner q;
  private final String what;
  private final QueryRunner.Flight flight;
  /** Rows decoded so far, and rows the caller passed on. */
  long seen;
  long delivered;
  /** Why the last row could not be read, else null. */
  String problem;

  DecodedRows(QueryRunner q, QueryResponse response, RowDecoder decoder, String what, QueryRunner.Flight flight) {
    this.q = q;
    this.in = new RowBinaryInput(response.getInputStream(), RowDecoder.cacheSlots());
    this.decoder = decoder;
    this.what = what;
    this.flight = flight;
  }

  /** Decodes the next row; false at the end of the response. */
  boolean next() {
    try {
      if (in.atEnd()) {
        return false;
      }
      problem = decoder.decode(in);
    } catch (IOException | RuntimeException e) {
      throw q.broken(e, what, delivered, flight);
    }
    seen++;
    if ((seen & 0x3FF) == 0 && Thread.currentThread().isInterrupted()) {
      throw q.interrupted(what, delivered, flight);
    }
    return true;
  }
}
