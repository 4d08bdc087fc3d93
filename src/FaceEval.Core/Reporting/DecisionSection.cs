using System.Globalization;

namespace FaceEval.Core.Reporting;

/// <summary>
/// The report's first section when two or more models were compared pair for pair: one sentence per pair of
/// models for each target FAR and for the EER (difference, paired bootstrap interval, Holm-adjusted p), the
/// comparison table with McNemar's counts, each model's thresholds with their intervals and transfer check,
/// and the calibration figures with a reliability diagram. What was not measured is named, with the
/// parameter that measures it.
/// </summary>
/// <param name="results">One result per model (the verification results of the same run).</param>
/// <param name="comparisons">The paired comparisons (<see cref="Evaluation.ComparisonRun"/>), in its order.</param>
/// <param name="shareable">True for a shareable report: no threshold values and no slope or intercept (they are on the vendor's score scale).</param>
public sealed class DecisionSection(IReadOnlyList<VerificationResult> results, IReadOnlyList<ModelComparison> comparisons, bool shareable = false) : IReportSection
{
    private static readonly CultureInfo s_inv = CultureInfo.InvariantCulture;

    public string Title => "Decision";

    public void Render(HtmlBuilder html)
    {
        var first = comparisons[0];
        int modelPairs = comparisons.Select(c => (c.ModelA, c.ModelB)).Distinct().Count();
        var impostor = results.Max(r => r.ImpostorPairs);
        string replicates = first.BootstrapCount.ToString("N0", s_inv) + " paired identity bootstrap replicates (each replicate draws the identities once, with replacement, for every model, " +
            "and re-chooses each model's threshold inside it)";
        string how = first.IntervalMethod switch
        {
            IntervalMethod.Wilson or IntervalMethod.ClopperPearson => string.Create(s_inv,
                $"{first.ConfidenceLevel:0.#%} intervals of the difference by the MOVER of Zou and Donner: each model's rate gets its {first.IntervalMethod} interval on an effective number of pairs " +
                $"that accounts for pairs sharing a person (from the leave-one-identity-out variance; with fewer than 300 identities the larger of that and the bootstrap variance), and the two are combined with the correlation of the models over " +
                $"{replicates}. p is that interval inverted (the level at which it just reaches 0)"),
            IntervalMethod.Bca => string.Create(s_inv, $"{first.ConfidenceLevel:0.#%} BCa intervals from {replicates}. p is the two-sided bootstrap p of no difference"),
            _ => string.Create(s_inv, $"{first.ConfidenceLevel:0.#%} percentile intervals from {replicates}. p is the two-sided bootstrap p of no difference"),
        };
        html.Raw("<p>").Text(string.Create(s_inv,
            $"Every model is scored on the same pairs. Differences are in percentage points, with {how}, Holm-adjusted over the {modelPairs} pair(s) of models " +
            $"for each metric and target; a difference is called significant when the adjusted p is below {1 - first.ConfidenceLevel:0.###}.")).Raw("</p>\n");

        foreach (var group in comparisons.GroupBy(c => (c.Metric, c.TargetFar)))
        {
            html.Raw("<h3>").Text(group.Key.Metric == "Eer" ? "Equal error rate" : $"At FAR {Far(group.Key.TargetFar)}").Raw("</h3>\n<ul>\n");
            foreach (var c in group) html.Raw("<li>").Text(Sentence(c)).Raw("</li>\n");
            html.Raw("</ul>\n");
            if (group.Key.Metric != "Eer" && results.Any(r => r.OperatingPoints.Any(p => p.TargetFar == group.Key.TargetFar && !p.Estimable)))
                html.Raw("<p class=\"ne\"><small>").Text(string.Create(s_inv, $"FAR {Far(group.Key.TargetFar)} cannot be measured on {impostor:N0} impostor pairs (it needs at least {Math.Ceiling(1 / group.Key.TargetFar):N0}): each threshold there lies above every impostor score, so read these rows as a comparison of the models' highest impostor scores, not of a deployment at that FAR.")).Raw("</small></p>\n");
        }

        html.Raw("<h3>Comparison table</h3>\n<p><small>Genuine only A / only B: genuine pairs one model accepts at its operating threshold and the other rejects; " +
                 "likewise for impostor pairs (false accepts). McNemar's exact p on those counts is descriptive only: pairs that share a person are not independent, so the p of the interval method is the test.</small></p>\n");
        html.Table(new[] { "A vs B", "Metric", "A", "B", "A − B [interval]", "p", "Holm p", "Verdict", "Genuine only A / only B (p)", "Impostor only A / only B (p)" },
            comparisons.Select(c => (IReadOnlyList<string>)new[]
            {
                $"{c.ModelA} vs {c.ModelB}",
                c.Metric == "Eer" ? "EER" : $"TAR @ FAR {Far(c.TargetFar)}",
                HtmlBuilder.Percent(c.ValueA), HtmlBuilder.Percent(c.ValueB),
                $"{Points(c.Difference)} [{Points(c.Lower)}, {Points(c.Upper)}]",
                P(c.PValue), P(c.AdjustedPValue), Verdict(c),
                $"{c.GenuineOnlyA.ToString("N0", s_inv)} / {c.GenuineOnlyB.ToString("N0", s_inv)} ({P(c.GenuineMcNemarP)})",
                $"{c.ImpostorOnlyA.ToString("N0", s_inv)} / {c.ImpostorOnlyB.ToString("N0", s_inv)} ({P(c.ImpostorMcNemarP)})",
            }));

        RenderThresholds(html);
        RenderCalibration(html);
    }

    /// <summary>Each model's threshold per target, its bootstrap interval and how it holds on new people.</summary>
    private void RenderThresholds(HtmlBuilder html)
    {
        bool intervals = results.Any(r => r.OperatingPoints.Any(p => !double.IsNaN(p.ThresholdLower)));
        bool transfer = results.Any(r => r.TransferSplits > 0);
        string check = $"the transfer check chooses each model's threshold on one half of the identities and applies it to the other, over {(transfer ? results.Max(r => r.TransferSplits) : 0)} seeded splits: " +
            "the FAR reached on the unseen half as a multiple of the target (median, and the largest), and the TAR there. A ratio well above 1 means the threshold lets more impostors through on new people than on these.";
        if (shareable)
        {
            // The threshold values are on the vendor's score scale: only the transfer check, which is a ratio, is shown.
            if (!transfer) return;
            intervals = false;
            html.Raw("<h3>Thresholds on new people</h3>\n<p>").Text(char.ToUpperInvariant(check[0]) + check[1..]).Raw("</p>\n");
        }
        else
        {
            html.Raw("<h3>Thresholds</h3>\n");
            html.Raw("<p>").Text("The strict threshold of each model at each target (the lowest whose FAR on these impostor pairs is at most the target)" +
                (intervals ? ", with its bootstrap interval over identities" : "") + (transfer ? "; " + check : ".") +
                (intervals ? "" : " Measure with -BootstrapCount for the threshold's interval.") +
                (transfer ? "" : " Measure with -TransferCheck 20 to see whether the threshold holds on people it was not chosen on.")).Raw("</p>\n");
        }
        var header = new List<string> { "Model", "Target FAR" };
        if (!shareable) header.Add("Threshold");
        if (intervals) header.Add("Threshold interval");
        if (transfer) header.AddRange(new[] { "FAR on new people ÷ target (max)", "TAR on new people" });
        var rows = new List<IReadOnlyList<string>>();
        foreach (var r in results)
            foreach (var p in r.OperatingPoints)
            {
                var row = new List<string> { ModelTableSection.Name(r), Far(p.TargetFar) };
                if (!shareable) row.Add(p.Estimable ? Number(p.Threshold, "0.0000") : $"{Number(p.Threshold, "0.0000")} (n/e)");
                if (intervals) row.Add(double.IsNaN(p.ThresholdLower) ? "–" : $"[{Number(p.ThresholdLower, "0.0000")}, {Number(p.ThresholdUpper, "0.0000")}]");
                if (transfer)
                {
                    row.Add(double.IsNaN(p.TransferFarRatio) ? "–" : $"×{Number(p.TransferFarRatio, "0.00")} (×{Number(p.TransferFarRatioMax, "0.00")})");
                    row.Add(double.IsNaN(p.TransferTar) ? "–" : HtmlBuilder.Percent(p.TransferTar));
                }
                rows.Add(row);
            }
        html.Table(header, rows);
    }

    /// <summary>The calibration of each model, and the reliability diagram.</summary>
    private void RenderCalibration(HtmlBuilder html)
    {
        html.Raw("<h3>Calibrated scores</h3>\n");
        var calibrated = results.Where(r => r.Calibration is not null).ToList();
        if (calibrated.Count == 0)
        {
            html.Raw("<p>").Text("Not measured: add -Calibrate to turn each model's scores into log-likelihood ratios and see how well each can be read as a probability.").Raw("</p>\n");
            return;
        }
        html.Raw("<p>").Text("llr(s) = slope · s + intercept (natural log), fitted by logistic regression weighted to a prior of ½ on all pairs; " +
            "P(same person | s) = σ(llr(s) + ln(π / (1 − π))) at a prior π of genuine pairs (ModelCalibration.Probability). " +
            "Cllr (bits; Brümmer and du Preez 2006) is measured by identity-disjoint two-fold cross-fitting: 0 is perfect, 1 is a system that always answers llr 0. " +
            "MinCllr is the floor any monotone map of the scores reaches on the same pairs (pool-adjacent-violators, ties pooled); the calibration loss is Cllr − MinCllr.").Raw("</p>\n");
        var header = new List<string> { "Model" };
        if (!shareable) header.AddRange(new[] { "Slope", "Intercept" });
        header.AddRange(new[] { "Cllr (bits)", "MinCllr (bits)", "Calibration loss", "P(same) at the EER threshold, prior ½", "Pairs (genuine / impostor)" });
        html.Table(header,
            calibrated.Select(r =>
            {
                var c = r.Calibration!;
                var row = new List<string> { ModelTableSection.Name(r) };
                if (!shareable) row.AddRange(new[] { Number(c.Slope, "0.000"), Number(c.Intercept, "0.000") });
                row.AddRange(new[]
                {
                    Number(c.Cllr, "0.0000"), Number(c.MinCllr, "0.0000"), Number(c.CalibrationLoss, "0.0000"),
                    HtmlBuilder.Percent(c.Probability(r.EerThreshold, 0.5)),
                    $"{c.GenuinePairs.ToString("N0", s_inv)} / {c.ImpostorPairs.ToString("N0", s_inv)}",
                });
                return (IReadOnlyList<string>)row;
            }));
        if (VerificationPlots.Reliability(results) is { } plot) html.Figure(plot.Png, plot.Title);
    }

    /// <summary>
    /// One sentence for one comparison, naming the better model first: "At FAR 1e-3, eagle accepts 58.3 points
    /// more genuine pairs than dingo [49.6, 66.3], p = 0.002, 1,000 paired identity replicates." With a binomial
    /// method (Wilson, Clopper–Pearson) the evidence names it: "…, Wilson MOVER over 1,000 paired identity replicates."
    /// </summary>
    public static string Sentence(ModelComparison c)
    {
        // The model ahead on this data goes first; the interval turns with it.
        bool aAhead = c.Metric == "Eer" ? c.Difference <= 0 : c.Difference >= 0;
        string better = aAhead ? c.ModelA : c.ModelB, worse = aAhead ? c.ModelB : c.ModelA;
        double size = Math.Abs(c.Difference);
        double lower = aAhead ? c.Lower : -c.Upper, upper = aAhead ? c.Upper : -c.Lower;
        if (c.Metric == "Eer") (lower, upper) = (-upper, -lower); // "lower by": the interval of B − A
        string interval = $"[{Points(lower)}, {Points(upper)}]";
        string replicates = c.BootstrapCount.ToString("N0", s_inv) + " paired identity replicates";
        string evidence = $"p {PText(c.AdjustedPValue)}{(c.AdjustedPValue != c.PValue ? " (Holm-adjusted)" : "")}, " +
            (c.IntervalMethod is IntervalMethod.Wilson or IntervalMethod.ClopperPearson ? $"{c.IntervalMethod} MOVER over {replicates}" : replicates);
        string claim = c.Metric == "Eer"
            ? $"{better}'s EER is {Points(size)} points lower than {worse}'s {interval}"
            : $"At FAR {Far(c.TargetFar)}, {better} accepts {Points(size)} points more genuine pairs than {worse} {interval}";
        if (c.Difference == 0)
            claim = c.Metric == "Eer"
                ? $"{c.ModelA} and {c.ModelB} have the same EER {interval}"
                : $"At FAR {Far(c.TargetFar)}, {c.ModelA} and {c.ModelB} accept the same share of genuine pairs {interval}";
        string verdict = c.Verdict == ModelComparison.NoSignificantDifference ? "; not a significant difference" : "";
        return $"{claim}, {evidence}{verdict}.";
    }

    private static string Verdict(ModelComparison c) => c.Verdict switch
    {
        ModelComparison.ABetter => $"{c.ModelA} better",
        ModelComparison.BBetter => $"{c.ModelB} better",
        _ => "no significant difference",
    };

    /// <summary>A fraction as percentage points with one decimal (never "-0.0").</summary>
    private static string Points(double fraction)
    {
        string text = (100 * fraction).ToString("0.0", s_inv);
        return text == "-0.0" ? "0.0" : text;
    }
    private static string P(double p) => p < 0.001 ? "< 0.001" : p.ToString("0.###", s_inv);
    private static string PText(double p) => p < 0.001 ? "< 0.001" : "= " + p.ToString("0.###", s_inv);
    private static string Far(double far) => far.ToString("0.#####e0", s_inv);
    private static string Number(double value, string format) => double.IsNaN(value) ? "–" : value.ToString(format, s_inv);
}
