package dev.execflow.spi;

import dev.execflow.model.Status;

/**
 * One line of an instances grid.
 *
 * @param sessionId the session
 * @param cascadeId its cascade, null when not logged
 * @param firstTimestamp epoch seconds of its first row
 * @param lastTimestamp epoch seconds of its last row
 * @param status completed or error from its terminal row, running without one
 * @param cost total cost, each LLM call counted once
 * @param rowCount rows stored for the session
 */
public record SessionSummary(
    String sessionId,
    String cascadeId,
    double firstTimestamp,
    double lastTimestamp,
    Status status,
    double cost,
    long rowCount) {

  /** Wall-clock seconds from first to last row. */
  public double duration() {
    return lastTimestamp - firstTimestamp;
  }
}
