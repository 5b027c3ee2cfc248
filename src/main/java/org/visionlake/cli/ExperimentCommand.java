package org.visionlake.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code visionlake experiment <name>}: the course experiments, each writing one run into the lake. */
@Command(
        name = "experiment",
        mixinStandardHelpOptions = true,
        description = "Run an experiment on Spark and record it as a run in the lake.",
        subcommands = {ResidualCommand.class, TransferCommand.class})
public final class ExperimentCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
