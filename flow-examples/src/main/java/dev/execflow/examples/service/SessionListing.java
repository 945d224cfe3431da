package dev.execflow.examples.service;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.execflow.model.Status;
import dev.execflow.spi.LogSource;
import dev.execflow.spi.LogSourceException;
import dev.execflow.spi.SessionListQuery;
import dev.execflow.spi.SessionPage;
import dev.execflow.spi.SessionSummary;
import java.time.Instant;
import java.util.Locale;

/**
 * {@code GET /api/sessions}: the instances grid, newest first, keyed-cursor paging, in the
 * original system's snake_case (existing clients of that endpoint keep working).
 */
final class SessionListing {
  /** Default page size. */
  static final int DEFAULT_PAGE = 50;
  /** Largest page size. */
  static final int MAX_PAGE = 500;

  private final LogSource source;
  private final SourceHealth health;

  SessionListing(LogSource source, SourceHealth health) {
    this.source = source;
    this.health = health;
  }

  /** Parameters are the raw query values, each may be null (see {@link ExecutionFlowService#sessions}). */
  ApiResponse page(String cascade, String status, String limit, String after) {
    Status wanted = null;
    if (status != null && !status.isEmpty()) {
      wanted = parseStatus(status);
      if (wanted == null) {
        return Responses.error(400, "invalid status: expected completed, running or error");
      }
    }
    int pageSize = Request.boundedInt(limit, "limit", 1, MAX_PAGE, DEFAULT_PAGE);
    if (cascade != null && cascade.isEmpty()) {
      cascade = null;
    }
    if (cascade != null && cascade.length() > Request.MAX_ID_LENGTH) {
      return Responses.error(400, "invalid cascade: longer than " + Request.MAX_ID_LENGTH + " characters");
    }
    if (after != null && after.isEmpty()) {
      after = null;
    }
    if (after != null && after.length() > Request.MAX_ID_LENGTH) {
      return Responses.error(400, "invalid cursor");
    }
    try {
      SessionPage page = source.listSessions(new SessionListQuery(cascade, wanted, pageSize, after));
      health.up();
      ObjectNode body = JsonNodeFactory.instance.objectNode();
      ArrayNode rows = body.putArray("sessions");
      for (SessionSummary s : page.sessions()) {
        rows.add(json(s));
      }
      body.put("next_cursor", page.nextCursor());
      // the page cost the whole table (a ClickHouse table without execflow install-listing)
      body.put("scanned", page.scanned());
      // what the listing left out (sessions past the source's bound, unreadable lines): never silent
      ArrayNode warnings = body.putArray("warnings");
      page.warnings().forEach(warnings::add);
      return Responses.json(200, body);
    } catch (LogSourceException e) {
      if (e.reason() == LogSourceException.Reason.BAD_INPUT && after != null) {
        // sources reject a cursor they did not issue as bad input: the client's mistake
        return Responses.error(400, "invalid cursor: use the next_cursor of a previous page");
      }
      health.failed(e);
      return Responses.sourceFailure(e);
    } catch (IllegalArgumentException e) {
      return Responses.error(400, "invalid request: " + e.getMessage());
    }
  }

  private static Status parseStatus(String status) {
    return switch (status.toLowerCase(Locale.ROOT)) {
      case "completed" -> Status.COMPLETED;
      case "running" -> Status.RUNNING;
      case "error" -> Status.ERROR;
      default -> null;
    };
  }

  /** One line of the instances grid, the shape shared by the API and the CLI's {@code --json}. */
  static ObjectNode json(SessionSummary s) {
    ObjectNode row = JsonNodeFactory.instance.objectNode();
    row.put("session_id", s.sessionId());
    row.put("cascade_id", s.cascadeId());
    row.put("status", s.status() == null ? null : s.status().json());
    // sums of dollar amounts pick up float noise (0.0048000000000000004); 1e-10 dollars is plenty
    row.put("cost", Double.isFinite(s.cost()) ? Math.round(s.cost() * 1e10) / 1e10 : 0.0);
    row.put("duration", finite(s.duration()));
    row.put("started", iso(s.firstTimestamp()));
    row.put("first_timestamp", finite(s.firstTimestamp()));
    row.put("last_timestamp", finite(s.lastTimestamp()));
    row.put("row_count", s.rowCount());
    return row;
  }

  private static Double finite(double v) {
    return Double.isFinite(v) ? v : null;
  }

  /** ISO-8601 UTC with milliseconds, or null. */
  static String iso(double epochSeconds) {
    if (!Double.isFinite(epochSeconds)) {
      return null;
    }
    long millis = Math.round(epochSeconds * 1000.0);
    return Instant.ofEpochMilli(millis).toString();
  }
}
