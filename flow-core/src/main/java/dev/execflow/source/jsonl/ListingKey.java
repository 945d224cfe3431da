package dev.execflow.source.jsonl;

import dev.execflow.assemble.SessionTally;
import dev.execflow.spi.LogSourceException;
import dev.execflow.spi.LogSourceException.Reason;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Comparator;

/** The sort key of a listed session, and the listing's cursor; NaN first timestamps sort as the oldest. */
record ListingKey(double first, String sessionId) {
  private static final String CURSOR_VERSION = "v1";

  /** Newest first, then session id descending. */
  static final Comparator<ListingKey> ORDER = Comparator
      .comparingDouble((ListingKey k) -> Double.isNaN(k.first) ? Double.NEGATIVE_INFINITY : k.first)
      .thenComparing(ListingKey::sessionId)
      .reversed();

  static ListingKey of(SessionTally tally) {
    return new ListingKey(tally.firstTimestamp(), tally.sessionId());
  }

  /** Listing order over tallies. */
  static final Comparator<SessionTally> TALLY_ORDER = Comparator.comparing(ListingKey::of, ORDER);

  String encode() {
    String plain = CURSOR_VERSION + "\n" + first + "\n" + sessionId;
    return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
  }

  /** @throws LogSourceException with reason BAD_INPUT for a cursor this source did not issue */
  static ListingKey decode(String cursor) {
    try {
      String plain = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      String[] parts = plain.split("\n", 3);
      if (parts.length == 3 && parts[0].equals(CURSOR_VERSION)) {
        return new ListingKey(Double.parseDouble(parts[1]), parts[2]);
      }
    } catch (IllegalArgumentException e) {
      // reported below
    }
    throw new LogSourceException(Reason.BAD_INPUT, "Not a session list cursor: " + cursor);
  }
}
