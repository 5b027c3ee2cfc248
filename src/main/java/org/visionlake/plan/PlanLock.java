package org.visionlake.plan;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.visionlake.VisionLakeException;
import org.visionlake.lake.Json;
import org.visionlake.lake.Lake;

/**
 * Keeps two runs of one plan apart: {@code _locks/plan-<name>.lock} in the lake names the process that holds it
 * (pid, host, start) and a heartbeat it refreshes while it runs. A lock is stale, and is taken over, when its holder
 * ran on this host and that pid is gone, or when its heartbeat is older than {@link #STALE_AFTER} (a holder on
 * another host that stopped refreshing).
 */
public final class PlanLock implements AutoCloseable {
    static final Duration STALE_AFTER = Duration.ofMinutes(10);
    static final Duration HEARTBEAT = Duration.ofSeconds(30);
    private static final Logger LOG = LoggerFactory.getLogger(PlanLock.class);

    private final Lake lake;
    private final Path path;
    private final Holder holder;
    private final ScheduledExecutorService heartbeat;

    /** Who holds a plan lock. */
    public record Holder(String token, long pid, String host, String startedAt, String heartbeatAt) {
        /** Whether the holder still runs, as far as this process can tell. */
        public boolean alive(Instant now) {
            boolean fresh = Duration.between(Instant.parse(heartbeatAt), now).compareTo(STALE_AFTER) < 0;
            if (host.equals(thisHost())) {
                return fresh
                        && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
            }
            return fresh;
        }

        public String describe() {
            return "pid " + pid + " on host " + host + " since " + startedAt + " (heartbeat " + heartbeatAt + ")";
        }
    }

    private PlanLock(Lake lake, Path path, Holder holder) {
        this.lake = lake;
        this.path = path;
        this.holder = holder;
        this.heartbeat = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "plan-lock-heartbeat");
            thread.setDaemon(true);
            return thread;
        });
        long period = HEARTBEAT.toSeconds();
        heartbeat.scheduleAtFixedRate(this::beat, period, period, TimeUnit.SECONDS);
    }

    public static Path path(Lake lake, String plan) {
        return new Path(lake.root(), "_locks/plan-" + plan + ".lock");
    }

    /** The current holder of the lock of {@code plan}, if any (alive or stale). */
    public static Optional<Holder> holder(Lake lake, String plan) {
        Path path = path(lake, plan);
        if (!lake.exists(path)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Json.read(lake.readText(path), Holder.class));
        } catch (UncheckedIOException e) {
            // A lock being written or removed right now; treat it as absent for a status display.
            return Optional.empty();
        }
    }

    /** Takes the lock of {@code plan}, taking over a stale one; refuses, naming the holder, if it is held. */
    public static PlanLock acquire(Lake lake, String plan) {
        Path path = path(lake, plan);
        String now = Instant.now().toString();
        Holder mine =
                new Holder(UUID.randomUUID().toString(), ProcessHandle.current().pid(), thisHost(), now, now);
        for (int attempt = 0; attempt < 3; attempt++) {
            if (create(lake, path, mine)) {
                Holder written = holder(lake, plan).orElse(null);
                if (written != null && written.token().equals(mine.token())) {
                    LOG.info("plan lock taken: plan={} lock={} pid={}", plan, path, mine.pid());
                    return new PlanLock(lake, path, mine);
                }
                continue;
            }
            Optional<Holder> current = holder(lake, plan);
            if (current.isPresent() && current.get().alive(Instant.now())) {
                throw new VisionLakeException(String.format(
                        "plan '%s' is already running: %s holds %s; wait for it to finish, or if that process is"
                                + " gone for good, delete the lock file",
                        plan, current.get().describe(), path));
            }
            LOG.warn(
                    "stale plan lock taken over: plan={} lock={} holder={}",
                    plan,
                    path,
                    current.map(Holder::describe).orElse("unreadable"));
            lake.deleteQuietly(path);
        }
        throw new VisionLakeException("could not take the lock " + path + " of plan '" + plan
                + "': another process keeps taking it; check for concurrent plan runs");
    }

    private static boolean create(Lake lake, Path path, Holder holder) {
        try {
            lake.fs().mkdirs(path.getParent());
            try (OutputStream out = lake.fs().create(path, false)) {
                out.write(Json.write(holder).getBytes(StandardCharsets.UTF_8));
            }
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } catch (IOException e) {
            if (lake.exists(path)) {
                return false;
            }
            throw new UncheckedIOException("cannot create plan lock " + path, e);
        }
    }

    private void beat() {
        try {
            Holder refreshed = new Holder(
                    holder.token(),
                    holder.pid(),
                    holder.host(),
                    holder.startedAt(),
                    Instant.now().toString());
            lake.writeTextAtomically(path, Json.write(refreshed));
        } catch (RuntimeException e) {
            LOG.warn("plan lock heartbeat failed: lock={} error={}", path, e.toString());
        }
    }

    /** Stops the heartbeat and removes the lock if it is still this process's. */
    @Override
    public void close() {
        heartbeat.shutdownNow();
        try {
            heartbeat.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Optional<Holder> current = holder(lake, pathPlan());
        if (current.isPresent() && current.get().token().equals(holder.token())) {
            lake.deleteQuietly(path);
        }
    }

    private String pathPlan() {
        String name = path.getName();
        return name.substring("plan-".length(), name.length() - ".lock".length());
    }

    static String thisHost() {
        String host = System.getenv("HOSTNAME");
        if (host != null && !host.isBlank()) {
            return host;
        }
        try {
            return Files.readString(Paths.get("/etc/hostname")).trim();
        } catch (IOException e) {
            return "unknown-host";
        }
    }
}
