package org.visionlake.progress;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.spark.util.LongAccumulator;
import org.slf4j.Logger;

/**
 * Feeds a {@link Progress} from a Spark accumulator that executors add to, polled on the driver while a job runs.
 * Spark merges an accumulator when a task ends, so progress moves task by task.
 */
public final class AccumulatorProgress implements AutoCloseable {
    private final Progress progress;
    private final LongAccumulator counter;
    private final ScheduledExecutorService poller;
    private long reported;

    public AccumulatorProgress(Logger log, String what, long total, LongAccumulator counter, long intervalMillis) {
        this.progress = new Progress(log, what, total, intervalMillis);
        this.counter = counter;
        this.poller = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "progress-" + what);
            thread.setDaemon(true);
            return thread;
        });
        poller.scheduleAtFixedRate(this::poll, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
    }

    public Progress progress() {
        return progress;
    }

    private synchronized void poll() {
        long now = counter.value();
        if (now > reported) {
            progress.advance(now - reported, "");
            reported = now;
        }
    }

    /** Stops polling and reports the final count. */
    @Override
    public void close() {
        poller.shutdownNow();
        poll();
    }
}
