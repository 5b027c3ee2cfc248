package org.visionlake.cli;

import org.visionlake.VisionLakeException;
import org.visionlake.nativecpu.NativeBackend;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code visionlake} command line: one subcommand per pipeline stage. */
@Command(
        name = "visionlake",
        mixinStandardHelpOptions = true,
        version = "VisionLake 0.1.0",
        description = "Image datasets to a Parquet lake, CNN experiments on Spark, comparison reports.",
        subcommands = {
            IngestCommand.class,
            AugmentCommand.class,
            DatasetsCommand.class,
            ExperimentCommand.class,
            PretrainCommand.class,
            BenchCommand.class,
            ReportCommand.class,
            PlanCommand.class,
            DemoCommand.class
        })
public final class VisionLake implements Runnable {
    /** Exit status for a failure the user can fix (bad input, unknown dataset); 1 is kept for crashes. */
    static final int EXIT_USAGE = 2;

    public static void main(String[] args) {
        // Before anything can load ND4J: the native build must match this CPU (see NativeBackend).
        NativeBackend.selectBuild();
        int status = commandLine().execute(args);
        System.exit(status);
    }

    /** The configured command line; tests call {@code execute} on it instead of {@link #main}. */
    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new VisionLake());
        commandLine.setExecutionExceptionHandler((e, cmd, parseResult) -> {
            Throwable cause = e;
            while (cause != null && !(cause instanceof VisionLakeException)) {
                cause = cause.getCause();
            }
            if (cause != null) {
                cmd.getErr().println("visionlake " + cmd.getCommandName() + ": " + cause.getMessage());
                return EXIT_USAGE;
            }
            throw e;
        });
        return commandLine;
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
