package org.visionlake.nativecpu;

import java.util.Map;
import org.apache.spark.SparkContext;
import org.apache.spark.api.plugin.DriverPlugin;
import org.apache.spark.api.plugin.ExecutorPlugin;
import org.apache.spark.api.plugin.PluginContext;
import org.apache.spark.api.plugin.SparkPlugin;

/**
 * Spark plugin ({@code spark.plugins}) that runs {@link NativeBackend#configure()} when an executor starts, before
 * its first task: dl4j-spark's training workers load ND4J inside tasks, and each executor must pick the native build
 * of the CPU it runs on, which may differ from the driver's. The driver side does the same for the driver JVM.
 */
public final class NativeBackendPlugin implements SparkPlugin {
    private static volatile boolean executorConfigured;

    /** Whether an executor plugin of this JVM has configured the backend (true in local mode once Spark runs). */
    public static boolean executorConfigured() {
        return executorConfigured;
    }

    @Override
    public DriverPlugin driverPlugin() {
        return new DriverPlugin() {
            @Override
            public Map<String, String> init(SparkContext sc, PluginContext pluginContext) {
                NativeBackend.selectBuild();
                return Map.of();
            }
        };
    }

    @Override
    public ExecutorPlugin executorPlugin() {
        return new ExecutorPlugin() {
            @Override
            public void init(PluginContext ctx, Map<String, String> extraConf) {
                NativeBackend.configure();
                executorConfigured = true;
            }
        };
    }
}
