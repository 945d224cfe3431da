package dev.execflow.examples.server;

import dev.execflow.examples.service.ApiResponse;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Routes requests to the service or the viewer's files and decides where each runs: cheap answers
 * at once on Jetty's thread, reads (of a session, a comparison) and listings on their bounded
 * {@link Lane}s, event streams on a lane of their own. A read is a {@link ReadExchange}: answered
 * exactly once, by its result, its deadline or its client going away.
 */
final class FlowHandler extends Handler.Abstract {
  private final FlowServer.Api service;
  private final Replies replies;
  private final ViewerFiles files;
  private final Lane reads;
  private final Lane listings;
  private final Lane streams;
  private final AtomicLong clientsGone = new AtomicLong();
  private final AtomicLong deadlines = new AtomicLong();
  private final ReadExchange.Setting setting;

  /** Where a request runs. */
  private enum Route { INLINE, READ, LIST }

  FlowHandler(FlowServer.Api service, FlowServer.Options options, ScheduledExecutorService scheduler,
      DisconnectWatch watch) {
    this.service = service;
    this.replies = new Replies(options);
    this.files = new ViewerFiles(replies);
    this.reads = new Lane("read", options.readThreads(), options.readQueue());
    this.listings = new Lane("list", options.listThreads(), options.listQueue());
    this.streams = new Lane("stream", options.maxStreams(), 0);
    this.setting = new ReadExchange.Setting(scheduler, options.requestDeadline(), watch, replies, streams,
        clientsGone, deadlines);
  }

  FlowServer.Stats stats(long slowHeads) {
    return new FlowServer.Stats(reads.running(), reads.waiting(),
        reads.shed() + listings.shed() + streams.shed(), clientsGone.get(), deadlines.get(), slowHeads);
  }

  void shutdown() {
    reads.shutdownNow();
    listings.shutdownNow();
    streams.shutdownNow();
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    String method = request.getMethod();
    String path = request.getHttpURI().getPath();
    if (path == null || path.isEmpty()) {
      path = "/";
    }
    if (!path.startsWith("/api/")) {
      files.serve(method, path, response, callback);
      return true;
    }
    String query = request.getHttpURI().getQuery();
    Function<String, String> headers = name -> request.getHeaders().get(name);
    String p = path;
    Supplier<ApiResponse> work = () -> service.handle(method, p, query, headers);
    switch (route(method, path)) {
      case READ -> submit(reads, request, response, callback, work);
      case LIST -> submit(listings, request, response, callback, work);
      default -> replies.send(response, callback, work.get());
    }
    return true;
  }

  /** Reads (of a session, of a comparison, of the listing) get a lane; everything else is answered at once. */
  private static Route route(String method, String path) {
    if (!"GET".equals(method) && !"HEAD".equals(method)) {
      return Route.INLINE; // 405 from the service
    }
    if (path.startsWith("/api/session/") || path.equals("/api/compare")) {
      return Route.READ;
    }
    if (path.equals("/api/sessions")) {
      return Route.LIST;
    }
    return Route.INLINE;
  }

  private void submit(Lane lane, Request request, Response response, Callback callback, Supplier<ApiResponse> work) {
    ReadExchange x = new ReadExchange(setting, request, response, callback, work);
    x.arm();
    if (!lane.offer(x::run)) {
      x.finish(replies.overloaded(lane, lane == reads ? "session reads" : "listings"));
    }
  }
}
