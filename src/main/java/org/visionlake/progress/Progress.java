package org.visionlake.progress;

import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;

/**
 * Progress of a long job over a known number of items: logs done/total, items per second and ETA at most once per
 * interval, so every long job reports the same way.
 */
public final class Progress {
    private final Logger log;
    private final String what;
    private final long total;
    private final long intervalNanos;
    private final long startNanos;
    private long lastLogNanos;
    private long done;

    public Progress(Logger log, String what, long total, long intervalMillis) {
        this.log = log;
        this.what = what;
        this.total = total;
        this.intervalNanos = TimeUnit.MILLISECONDS.toNanos(intervalMillis);
        this.startNanos = System.nanoTime();
        this.lastLogNanos = startNanos;
    }

    /** Records {@code items} more done and logs when the interval has passed; {@code detail} is appended as is. */
    public synchronized void advance(long items, String detail) {
        done += items;
        long now = System.nanoTime();
        if (now - lastLogNanos >= intervalNanos || done >= total) {
            lastLogNanos = now;
            log.info(
                    "{} progress: {}/{} images, {} img/s, eta={}{}",
                    what,
                    done,
                    total,
                    String.format("%.1f", rate(now)),
                    eta(now),
                    detail.isEmpty() ? "" : ", " + detail);
        }
    }

    public synchronized long done() {
        return done;
    }

    public synchronized double rate() {
        return rate(System.nanoTime());
    }

    public double elapsedSeconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private double rate(long now) {
        double seconds = (now - startNanos) / 1e9;
        return seconds <= 0 ? 0 : done / seconds;
    }

    private String eta(long now) {
        double rate = rate(now);
        if (rate <= 0 || done >= total) {
            return "0s";
        }
        return formatSeconds((total - done) / rate);
    }

    public static String formatSeconds(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600
                ? String.format("%dh%02dm", s / 3600, (s % 3600) / 60)
                : s >= 60 ? String.format("%dm%02ds", s / 60, s % 60) : s + "s";
    }
}
