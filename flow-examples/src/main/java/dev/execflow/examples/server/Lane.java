package dev.execflow.examples.server;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A bounded pool for one class of request (session folds, listings, event streams). A request that
 * finds every thread busy and the queue full is refused at once, so the server answers 503 instead
 * of queueing work that nobody will wait for; no lane ever runs work on the thread that offers it.
 */
final class Lane {
  private final String name;
  private final ThreadPoolExecutor pool;
  private final AtomicLong shed = new AtomicLong();

  /**
   * @param threads at most this many requests run at once
   * @param queue at most this many wait for a thread; 0: none waits
   */
  Lane(String name, int threads, int queue) {
    this.name = name;
    BlockingQueue<Runnable> waiting = queue == 0 ? new SynchronousQueue<>() : new ArrayBlockingQueue<>(queue);
    AtomicInteger n = new AtomicInteger();
    this.pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, waiting, r -> {
      Thread t = new Thread(r, "execflow-" + name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    }, new ThreadPoolExecutor.AbortPolicy());
    pool.allowCoreThreadTimeOut(true);
  }

  /** Runs {@code task} soon, or returns false (and counts it as shed) when the lane is full. */
  boolean offer(Runnable task) {
    try {
      pool.execute(task);
      return true;
    } catch (RejectedExecutionException e) {
      shed.incrementAndGet();
      return false;
    }
  }

  String name() {
    return name;
  }

  int running() {
    return pool.getActiveCount();
  }

  int waiting() {
    return pool.getQueue().size();
  }

  long shed() {
    return shed.get();
  }

  void shutdownNow() {
    pool.shutdownNow();
  }
}
