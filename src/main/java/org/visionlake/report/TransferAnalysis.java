package org.visionlake.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Answers the notebook's transfer questions from the measured numbers: which approach won at each size, which
 * converged fastest, what each trains, where transfer stopped paying, and when fine-tuning is worth its cost.
 */
final class TransferAnalysis {
    /** A gap in test accuracy smaller than this is treated as no gap. */
    private static final double LEVEL = 0.01;

    private TransferAnalysis() {}

    static List<String> answers(
            List<TransferSection.Epoch> epochs, List<TransferSection.Outcome> outcomes, int stage1) {
        List<String> answers = new ArrayList<>();
        if (outcomes.isEmpty()) {
            return answers;
        }
        int largest = TransferSection.sizes(outcomes).last();
        answers.add(winners(outcomes));
        fastest(epochs, largest, stage1).ifPresent(answers::add);
        trainable(outcomes, largest).ifPresent(answers::add);
        payoff(outcomes).ifPresent(answers::add);
        extractionOrFineTuning(outcomes).ifPresent(answers::add);
        return answers;
    }

    private static String winners(List<TransferSection.Outcome> outcomes) {
        List<String> parts = new ArrayList<>();
        for (int size : TransferSection.sizes(outcomes)) {
            List<TransferSection.Outcome> atSize = at(outcomes, size);
            TransferSection.Outcome best = atSize.stream()
                    .max(Comparator.comparingDouble(TransferSection.Outcome::testAcc))
                    .orElseThrow();
            StringBuilder line = new StringBuilder(String.format(
                    Locale.ROOT, "at %d images %s led with %.1f%%", size, best.approach(), 100 * best.testAcc()));
            for (TransferSection.Outcome o : atSize) {
                if (o != best) {
                    line.append(String.format(Locale.ROOT, ", %s %.1f%%", o.approach(), 100 * o.testAcc()));
                }
            }
            parts.add(line.toString());
        }
        return "Which approach reached the best test accuracy? " + String.join("; ", parts) + ".";
    }

    private static Optional<String> fastest(List<TransferSection.Epoch> epochs, int size, int stage1) {
        List<String> parts = new ArrayList<>();
        String fastest = null;
        int fastestEpoch = Integer.MAX_VALUE;
        for (String approach : TransferSection.APPROACHES) {
            List<TransferSection.Epoch> mine = epochs.stream()
                    .filter(e -> e.approach().equals(approach) && e.trainSize() == size)
                    .sorted(Comparator.comparingInt(e -> TransferSection.axisEpoch(e, stage1)))
                    .toList();
            if (mine.isEmpty()) {
                continue;
            }
            double best = mine.stream()
                    .mapToDouble(TransferSection.Epoch::valAcc)
                    .max()
                    .orElse(0);
            int reached = mine.stream()
                    .filter(e -> e.valAcc() >= 0.95 * best)
                    .mapToInt(e -> TransferSection.axisEpoch(e, stage1))
                    .min()
                    .orElse(0);
            parts.add(String.format(
                    Locale.ROOT,
                    "%s after %d epoch%s (best %.1f%%)",
                    approach,
                    reached,
                    reached == 1 ? "" : "s",
                    100 * best));
            if (reached < fastestEpoch) {
                fastestEpoch = reached;
                fastest = approach;
            }
        }
        if (fastest == null) {
            return Optional.empty();
        }
        return Optional.of(String.format(
                Locale.ROOT,
                "Which approach converged fastest? At %d images, %s: epochs to reach 95%% of each approach's best"
                        + " validation accuracy were %s.",
                size,
                fastest,
                String.join(", ", parts)));
    }

    private static Optional<String> trainable(List<TransferSection.Outcome> outcomes, int size) {
        Optional<TransferSection.Outcome> scratch = find(outcomes, "scratch", size);
        Optional<TransferSection.Outcome> frozen = find(outcomes, "frozen", size);
        Optional<TransferSection.Outcome> fine = find(outcomes, "finetune", size);
        if (scratch.isEmpty() || frozen.isEmpty() || fine.isEmpty()) {
            return Optional.empty();
        }
        TransferSection.Outcome f = frozen.get();
        return Optional.of(String.format(
                Locale.ROOT,
                "What does each approach train? The frozen extractor trains %d of its %d parameters (%.1f%%),"
                        + " fine-tuning %d (%.1f%%), and the scratch baseline all of its %d; training took %.1f s,"
                        + " %.1f s and %.1f s at %d images.",
                f.trainableParams(),
                f.totalParams(),
                100.0 * f.trainableParams() / Math.max(1, f.totalParams()),
                fine.get().trainableParams(),
                100.0 * fine.get().trainableParams() / Math.max(1, fine.get().totalParams()),
                scratch.get().trainableParams(),
                f.trainSeconds(),
                fine.get().trainSeconds(),
                scratch.get().trainSeconds(),
                size));
    }

    private static Optional<String> payoff(List<TransferSection.Outcome> outcomes) {
        List<String> gaps = new ArrayList<>();
        Integer stoppedAt = null;
        for (int size : TransferSection.sizes(outcomes)) {
            Optional<TransferSection.Outcome> scratch = find(outcomes, "scratch", size);
            Optional<TransferSection.Outcome> bestTransfer = at(outcomes, size).stream()
                    .filter(o -> !o.approach().equals("scratch"))
                    .max(Comparator.comparingDouble(TransferSection.Outcome::testAcc));
            if (scratch.isEmpty() || bestTransfer.isEmpty()) {
                continue;
            }
            double gap = bestTransfer.get().testAcc() - scratch.get().testAcc();
            gaps.add(String.format(Locale.ROOT, "%+.1f points at %d", 100 * gap, size));
            if (gap < LEVEL && stoppedAt == null) {
                stoppedAt = size;
            }
        }
        if (gaps.isEmpty()) {
            return Optional.empty();
        }
        String verdict = stoppedAt == null
                ? "transfer still beat scratch at the largest size measured"
                : "transfer stopped paying (less than 1 point ahead) at " + stoppedAt + " training images";
        return Optional.of("Where did transfer stop paying? Best transfer approach minus scratch: "
                + String.join(", ", gaps) + "; " + verdict + ".");
    }

    private static Optional<String> extractionOrFineTuning(List<TransferSection.Outcome> outcomes) {
        List<String> parts = new ArrayList<>();
        int fineWins = 0;
        int sizes = 0;
        for (int size : TransferSection.sizes(outcomes)) {
            Optional<TransferSection.Outcome> frozen = find(outcomes, "frozen", size);
            Optional<TransferSection.Outcome> fine = find(outcomes, "finetune", size);
            if (frozen.isEmpty() || fine.isEmpty()) {
                continue;
            }
            sizes++;
            double gain = fine.get().testAcc() - frozen.get().testAcc();
            if (gain >= LEVEL) {
                fineWins++;
            }
            parts.add(String.format(
                    Locale.ROOT,
                    "%+.1f points for %.1f s more at %d",
                    100 * gain,
                    fine.get().trainSeconds(),
                    size));
        }
        if (sizes == 0) {
            return Optional.empty();
        }
        String advice = fineWins == 0
                ? "here the frozen extractor is the better choice: fine-tuning did not add a point at any size"
                : fineWins == sizes
                        ? "fine-tuning paid at every size measured, so use it when its extra training time is"
                                + " affordable"
                        : "fine-tuning paid at " + fineWins + " of " + sizes + " sizes; prefer the frozen"
                                + " extractor where it did not";
        return Optional.of("When to use feature extraction vs fine-tuning? Fine-tuning over the frozen extractor: "
                + String.join(", ", parts) + "; " + advice + ".");
    }

    private static List<TransferSection.Outcome> at(List<TransferSection.Outcome> outcomes, int size) {
        return outcomes.stream().filter(o -> o.trainSize() == size).toList();
    }

    private static Optional<TransferSection.Outcome> find(
            List<TransferSection.Outcome> outcomes, String approach, int size) {
        return outcomes.stream()
                .filter(o -> o.approach().equals(approach) && o.trainSize() == size)
                .findFirst();
    }
}
