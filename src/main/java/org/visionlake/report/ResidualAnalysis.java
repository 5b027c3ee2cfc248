package org.visionlake.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.visionlake.runs.RunRecord;

/**
 * Answers the notebook's questions about one residual run from its measured numbers: which network won and by how
 * much, how the curves differ, what the gradient flow says, and what the shortcuts cost. Every sentence carries the
 * numbers it rests on, so a different run reads differently.
 */
final class ResidualAnalysis {
    /** Below this difference in validation accuracy, the two networks are called level. */
    private static final double LEVEL_POINTS = 1.0;

    private ResidualAnalysis() {}

    static List<String> answers(
            RunRecord run, List<ResidualSection.Epoch> epochs, List<ResidualSection.LayerGradient> gradients) {
        List<String> answers = new ArrayList<>();
        winner(run, epochs).ifPresent(answers::add);
        curves(epochs).ifPresent(answers::add);
        gradientFlow(gradients).ifPresent(answers::add);
        cost(run, epochs).ifPresent(answers::add);
        return answers;
    }

    private static Optional<String> winner(RunRecord run, List<ResidualSection.Epoch> epochs) {
        Optional<ResidualSection.Epoch> plain = last(epochs, "plain");
        Optional<ResidualSection.Epoch> residual = last(epochs, "residual");
        if (plain.isEmpty() || residual.isEmpty()) {
            return Optional.empty();
        }
        double p = 100 * plain.get().valAcc();
        double r = 100 * residual.get().valAcc();
        double diff = r - p;
        String depth = String.format(
                Locale.ROOT, "%s weight layers", run.configuration().get("weight_layers"));
        if (Math.abs(diff) < LEVEL_POINTS) {
            return Optional.of(String.format(
                    Locale.ROOT,
                    "Which network won? Neither clearly: after %d epochs the residual network reached %.1f%%"
                            + " validation accuracy and the plain one %.1f%% (%.1f points apart), so at %s and this"
                            + " budget the shortcuts made no measurable difference.",
                    residual.get().epoch(),
                    r,
                    p,
                    Math.abs(diff),
                    depth));
        }
        return Optional.of(String.format(
                Locale.ROOT,
                "Which network won? The %s network: %.1f%% validation accuracy after %d epochs against %.1f%% for"
                        + " the %s one, %.1f points %s at %s.",
                diff > 0 ? "residual" : "plain",
                Math.max(r, p),
                residual.get().epoch(),
                Math.min(r, p),
                diff > 0 ? "plain" : "residual",
                Math.abs(diff),
                "better",
                depth));
    }

    private static Optional<String> curves(List<ResidualSection.Epoch> epochs) {
        List<String> parts = new ArrayList<>();
        for (String network : List.of("plain", "residual")) {
            List<ResidualSection.Epoch> mine = of(epochs, network);
            if (mine.isEmpty()) {
                continue;
            }
            double best = mine.stream()
                    .mapToDouble(ResidualSection.Epoch::valAcc)
                    .max()
                    .orElse(0);
            int reached = mine.stream()
                    .filter(e -> e.valAcc() >= 0.9 * best)
                    .mapToInt(ResidualSection.Epoch::epoch)
                    .min()
                    .orElse(mine.get(mine.size() - 1).epoch());
            parts.add(String.format(
                    Locale.ROOT,
                    "the %s network's training loss went from %.3f to %.3f and it reached 90%% of its best"
                            + " validation accuracy (%.1f%%) at epoch %d",
                    network,
                    mine.get(0).trainLoss(),
                    mine.get(mine.size() - 1).trainLoss(),
                    100 * best,
                    reached));
        }
        if (parts.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("How do the curves differ? " + capitalise(String.join("; ", parts)) + ".");
    }

    private static Optional<String> gradientFlow(List<ResidualSection.LayerGradient> gradients) {
        Optional<Double> plain = firstToLast(gradients, "plain", 0);
        Optional<Double> residual = firstToLast(gradients, "residual", 0);
        if (plain.isEmpty() || residual.isEmpty()) {
            return Optional.empty();
        }
        double plainOrders = Math.abs(Math.log10(plain.get()));
        double residualOrders = Math.abs(Math.log10(residual.get()));
        String verdict;
        if (plainOrders - residualOrders >= 1) {
            verdict = String.format(
                    Locale.ROOT,
                    "the shortcuts keep the gradient of every layer within %.1f orders of magnitude of the last"
                            + " layer's, while the plain stack spreads it over %.1f orders, %s towards the input: the"
                            + " early layers of the plain network get updates of a very different scale from the"
                            + " late ones, which is what makes deep plain networks hard to optimise",
                    residualOrders,
                    plainOrders,
                    plain.get() < 1 ? "vanishing" : "growing");
        } else if (residualOrders - plainOrders >= 1) {
            verdict = String.format(
                    Locale.ROOT,
                    "in this run the residual network spreads gradient magnitudes more (%.1f orders) than the plain"
                            + " one (%.1f), against the usual finding",
                    residualOrders,
                    plainOrders);
        } else {
            verdict = String.format(
                    Locale.ROOT,
                    "at this depth both networks keep first- and last-layer gradients within %.1f orders of"
                            + " magnitude of each other, so depth has not yet distorted the plain network's"
                            + " gradient flow",
                    Math.max(plainOrders, residualOrders) + 0.05);
        }
        return Optional.of(String.format(
                Locale.ROOT,
                "What do the gradient plots say? At initialisation the first layer's mean |gradient| is %s the"
                        + " last layer's in the plain network and %s in the residual network; %s.",
                ratio(plain.get()),
                ratio(residual.get()),
                verdict));
    }

    private static Optional<String> cost(RunRecord run, List<ResidualSection.Epoch> epochs) {
        Object plainParams = run.metrics().get("plain_params");
        Object residualParams = run.metrics().get("residual_params");
        double plainSeconds = meanSeconds(epochs, "plain");
        double residualSeconds = meanSeconds(epochs, "residual");
        if (!(plainParams instanceof Number p) || !(residualParams instanceof Number r) || plainSeconds <= 0) {
            return Optional.empty();
        }
        return Optional.of(String.format(
                Locale.ROOT,
                "What do the shortcuts cost? %d more parameters (%d vs %d, +%.2f%%, the 1x1 projections where the"
                        + " shape changes) and %.1f s vs %.1f s per epoch (%+.0f%%).",
                r.longValue() - p.longValue(),
                r.longValue(),
                p.longValue(),
                100.0 * (r.longValue() - p.longValue()) / p.longValue(),
                residualSeconds,
                plainSeconds,
                100 * (residualSeconds / plainSeconds - 1)));
    }

    /** First weight layer's mean |gradient| divided by the last one's, at {@code epoch}. */
    static Optional<Double> firstToLast(List<ResidualSection.LayerGradient> gradients, String network, int epoch) {
        List<ResidualSection.LayerGradient> rows = gradients.stream()
                .filter(g -> g.network().equals(network) && g.epoch() == epoch)
                .sorted(Comparator.comparingInt(ResidualSection.LayerGradient::depth))
                .toList();
        if (rows.size() < 2 || rows.get(rows.size() - 1).meanAbs() <= 0) {
            return Optional.empty();
        }
        return Optional.of(rows.get(0).meanAbs() / rows.get(rows.size() - 1).meanAbs());
    }

    private static String ratio(double value) {
        return value >= 0.01
                ? String.format(Locale.ROOT, "%.2f times", value)
                : String.format(Locale.ROOT, "%.1e times", value);
    }

    private static double meanSeconds(List<ResidualSection.Epoch> epochs, String network) {
        return of(epochs, network).stream()
                .mapToDouble(ResidualSection.Epoch::seconds)
                .average()
                .orElse(0);
    }

    private static Optional<ResidualSection.Epoch> last(List<ResidualSection.Epoch> epochs, String network) {
        List<ResidualSection.Epoch> mine = of(epochs, network);
        return mine.isEmpty() ? Optional.empty() : Optional.of(mine.get(mine.size() - 1));
    }

    private static List<ResidualSection.Epoch> of(List<ResidualSection.Epoch> epochs, String network) {
        return epochs.stream()
                .filter(e -> e.network().equals(network))
                .sorted(Comparator.comparingInt(ResidualSection.Epoch::epoch))
                .toList();
    }

    private static String capitalise(String text) {
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}
