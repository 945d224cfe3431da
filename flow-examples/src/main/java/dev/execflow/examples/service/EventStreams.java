package dev.execflow.examples.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.execflow.cascade.CascadeCatalog;
import dev.execflow.follow.FollowEvent;
import dev.execflow.follow.FollowHub;
import dev.execflow.follow.FollowJson;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;

/**
 * The server-sent event streams of {@link ExecutionFlowService}, over a {@link FollowHub}: each
 * event is one frame, {@code id:} its id, {@code event:} its type, {@code data:} its JSON, flushed
 * as it comes. A session's stream starts with a {@code snapshot} and ends after {@code final}; the
 * stream of every followed session never ends and carries {@code session_id} (and {@code
 * phase_name}) in each event's data, as the seed's viewer code filters them.
 */
final class EventStreams {
  /** How often a stream with nothing to say writes a comment, so a dead client is noticed. */
  static final Duration KEEP_ALIVE = Duration.ofSeconds(15);

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Duration WAIT = Duration.ofMillis(500);

  private final FollowHub hub;
  private final CascadeCatalog catalog;
  private final Duration keepAlive;

  EventStreams(FollowHub hub, CascadeCatalog catalog, Duration keepAlive) {
    this.hub = Objects.requireNonNull(hub, "hub");
    this.catalog = Objects.requireNonNull(catalog, "catalog");
    this.keepAlive = Objects.requireNonNull(keepAlive, "keepAlive");
  }

  FollowHub hub() {
    return hub;
  }

  /** {@code GET /api/session/{id}/events}; {@code lastEventId} is the header's raw value or null. */
  ApiResponse session(String sessionId, String lastEventId) {
    if (!hub.follows(sessionId) && hub.followedSessions() >= hub.maxSessions()) {
      return ExecutionFlowService.error(503, new FollowHub.Full(hub.maxSessions()).getMessage());
    }
    Long after = parseId(lastEventId);
    // subscribed only once the adapter writes the body: a response never sent holds no follower
    return ApiResponse.streaming(200, ApiResponse.EVENT_STREAM, out -> {
      FollowHub.Subscription subscription;
      try {
        subscription = hub.follow(sessionId, after);
      } catch (FollowHub.Full e) {
        out.write(("event: error\ndata: " + quote(e.getMessage()) + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        return;
      }
      pump(subscription, out, false);
    });
  }

  /** {@code GET /api/events/stream}: the events of every session this service follows. */
  ApiResponse everything() {
    return ApiResponse.streaming(200, ApiResponse.EVENT_STREAM, out -> pump(hub.all(), out, true));
  }

  /** Writes events until {@code final} (a session's stream) or the client leaves. */
  private void pump(FollowHub.Subscription subscription, OutputStream out, boolean withSnakeCaseIds)
      throws IOException {
    try (subscription) {
      // a reconnecting EventSource waits this long; the default (3 s) is slower than a tick
      out.write("retry: 1000\n\n".getBytes(StandardCharsets.UTF_8));
      out.flush();
      long quietSince = System.nanoTime();
      while (true) {
        FollowEvent event = subscription.next(WAIT);
        if (event == null) {
          if (subscription.isEnded()) {
            return;
          }
          if (System.nanoTime() - quietSince >= keepAlive.toNanos()) {
            out.write(": keep-alive\n\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            quietSince = System.nanoTime();
          }
          continue;
        }
        out.write(frame(event, withSnakeCaseIds).getBytes(StandardCharsets.UTF_8));
        out.flush();
        quietSince = System.nanoTime();
        if (event.isFinal() && !withSnakeCaseIds) {
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** One SSE frame; the snapshot's and final's executionData overlaid with the session's cascade. */
  String frame(FollowEvent event, boolean withSnakeCaseIds) {
    FollowEvent shown = event.executionData() == null ? event : overlaid(event);
    String json = FollowJson.write(shown);
    if (withSnakeCaseIds) {
      StringBuilder prefix = new StringBuilder("{\"session_id\":").append(quote(event.sessionId()));
      if (event.phase() != null) {
        prefix.append(",\"phase_name\":").append(quote(event.phase()));
      }
      json = prefix.append(',').append(json, 1, json.length()).toString();
    }
    return "id: " + event.id() + "\nevent: " + event.type().wireName() + "\ndata: " + json + "\n\n";
  }

  private FollowEvent overlaid(FollowEvent e) {
    return new FollowEvent(e.type(), e.id(), e.sessionId(), e.timestamp(), e.phase(), e.visit(), e.status(),
        e.cost(), e.duration(), e.totalCost(), e.tokensIn(), e.tokensOut(), e.soundingIndex(), e.preview(),
        e.winnerIndex(), e.step(),
        e.ward(), e.valid(), e.reason(), e.turnCount(), e.maxTurns(), e.error(), e.idleSeconds(),
        catalog.overlay(e.executionData()));
  }

  private static String quote(String s) {
    try {
      return MAPPER.writeValueAsString(s);
    } catch (JsonProcessingException e) {
      return "null";
    }
  }

  /** The id of an SSE {@code Last-Event-ID}, or null when absent or not one of ours. */
  static Long parseId(String header) {
    if (header == null || header.isBlank() || header.length() > 19) {
      return null;
    }
    try {
      long id = Long.parseLong(header.strip());
      return id >= 0 ? id : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
