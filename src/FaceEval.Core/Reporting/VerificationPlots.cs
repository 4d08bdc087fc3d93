using FaceEval.Core.IO;
using ScottPlot;
using ScottPlot.TickGenerators;

namespace FaceEval.Core.Reporting;

/// <summary>
/// Draws the verification results with ScottPlot: the ROC on a log FAR axis, the DET (FRR against FAR,
/// both logarithmic, as in NIST FRVT reports) and the genuine/impostor score distributions, one series
/// (one colour) per model, so models read side by side.
/// </summary>
public static class VerificationPlots
{
    public const int Width = 800;
    public const int Height = 560;

    /// <summary>Renders the three figures in memory.</summary>
    public static IReadOnlyList<RenderedPlot> Render(IReadOnlyList<VerificationResult> results)
    {
        if (results.Count == 0) throw new ArgumentException("There is nothing to plot: no results.", nameof(results));
        return new[]
        {
            Finish("roc", "ROC: true accept rate against false accept rate (log scale)", Roc(results)),
            Finish("det", "DET: false reject rate against false accept rate (both log scale)", Det(results)),
            Finish("scores", "Score distributions: genuine (solid) and impostor (dashed) pairs", Scores(results)),
        };
    }

    /// <summary>Writes each figure as <c>name.png</c> and <c>name.svg</c> into <paramref name="folder"/>; returns the paths written.</summary>
    /// <exception cref="FaceEvalException">WriteFailed for the folder or the first file that cannot be written.</exception>
    public static IReadOnlyList<string> Write(IReadOnlyList<RenderedPlot> plots, string folder)
    {
        AtomicFile.CreateFolder(folder);
        var written = new List<string>();
        foreach (var (name, bytes) in Files(plots))
        {
            string path = Path.Combine(folder, name);
            AtomicFile.WriteAllBytes(path, bytes, overwrite: true);
            written.Add(path);
        }
        return written;
    }

    /// <summary>The files of the figures, <c>name.png</c> and <c>name.svg</c> each, for a caller that writes (and reports) them one by one.</summary>
    public static IEnumerable<(string FileName, byte[] Bytes)> Files(IReadOnlyList<RenderedPlot> plots)
    {
        foreach (var plot in plots)
        {
            yield return (plot.Name + ".png", plot.Png);
            yield return (plot.Name + ".svg", System.Text.Encoding.UTF8.GetBytes(plot.Svg));
        }
    }

    private static RenderedPlot Finish(string name, string title, Plot plot) =>
        new(name, title, plot.GetImageBytes(Width, Height, ImageFormat.Png), plot.GetSvgXml(Width, Height));

    private static Plot Roc(IReadOnlyList<VerificationResult> results)
    {
        var plot = NewPlot("ROC", "False accept rate (FAR)", "True accept rate (TAR)");
        double lowest = LowestFar(results);
        for (int m = 0; m < results.Count; m++)
        {
            var points = results[m].Roc.Where(p => p.Far > 0).OrderBy(p => p.Far).ToArray();
            var line = plot.Add.ScatterLine(points.Select(p => Math.Log10(p.Far)).ToArray(), points.Select(p => p.Tar).ToArray(), Colour(m));
            line.LegendText = Legend(results[m]);
            line.LineWidth = 2;
        }
        LogAxis(plot.Axes.Bottom);
        plot.Axes.SetLimits(lowest, 0, 0, 1.02);
        plot.ShowLegend(Alignment.LowerRight);
        return plot;
    }

    private static Plot Det(IReadOnlyList<VerificationResult> results)
    {
        var plot = NewPlot("DET", "False accept rate (FAR)", "False reject rate (FRR)");
        double lowest = LowestFar(results), lowestFrr = 0;
        for (int m = 0; m < results.Count; m++)
        {
            var points = results[m].Roc.Where(p => p.Far > 0 && p.Tar < 1).OrderBy(p => p.Far).ToArray();
            if (points.Length == 0) continue; // every genuine pair accepted wherever FAR > 0: nothing to draw on log axes
            var frr = points.Select(p => Math.Log10(1 - p.Tar)).ToArray();
            lowestFrr = Math.Min(lowestFrr, frr.Min());
            var line = plot.Add.ScatterLine(points.Select(p => Math.Log10(p.Far)).ToArray(), frr, Colour(m));
            line.LegendText = Legend(results[m]);
            line.LineWidth = 2;
        }
        LogAxis(plot.Axes.Bottom);
        LogAxis(plot.Axes.Left);
        plot.Axes.SetLimits(lowest, 0, Math.Floor(lowestFrr) - 0.05, 0.05);
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }

    private static Plot Scores(IReadOnlyList<VerificationResult> results)
    {
        var plot = NewPlot("Score distributions", "Similarity score", "Density");
        for (int m = 0; m < results.Count; m++)
        {
            var h = results[m].Histogram;
            if (h is null) continue;
            var xs = Enumerable.Range(0, h.Bins).Select(h.Centre).ToArray();
            var genuine = plot.Add.ScatterLine(xs, Density(h.Genuine, h.BinWidth), Colour(m));
            genuine.LegendText = $"{Name(results[m])} genuine";
            genuine.LineWidth = 2;
            var impostor = plot.Add.ScatterLine(xs, Density(h.Impostor, h.BinWidth), Colour(m));
            impostor.LegendText = $"{Name(results[m])} impostor";
            impostor.LineWidth = 2;
            impostor.LinePattern = LinePattern.Dashed;
        }
        plot.Axes.AutoScale();
        plot.ShowLegend(Alignment.UpperLeft);
        return plot;
    }

    /// <summary>
    /// The reliability diagram of the calibrated models (<see cref="ModelCalibration.Reliability"/>): observed
    /// against predicted probability of a genuine pair at a prior of ½, one line per model in its colour, the
    /// diagonal dashed; null when no model was calibrated.
    /// </summary>
    public static RenderedPlot? Reliability(IReadOnlyList<VerificationResult> results)
    {
        if (!results.Any(r => r.Calibration is { Reliability.Length: > 0 })) return null;
        var plot = NewPlot("Reliability of the calibrated scores (prior ½, cross-fitted)", "Predicted probability of a genuine pair", "Observed share of genuine pairs (prior-weighted)");
        var diagonal = plot.Add.ScatterLine(new[] { 0.0, 1.0 }, new[] { 0.0, 1.0 }, Colors.Gray);
        diagonal.LegendText = "perfect calibration";
        diagonal.LinePattern = LinePattern.Dashed;
        for (int m = 0; m < results.Count; m++)
        {
            var bins = results[m].Calibration?.Reliability;
            if (bins is not { Length: > 0 }) continue;
            var line = plot.Add.ScatterLine(bins.Select(b => b.MeanPredicted).ToArray(), bins.Select(b => b.Observed).ToArray(), Colour(m));
            line.LegendText = FormattableString.Invariant($"{Name(results[m])} (Cllr {results[m].Calibration!.Cllr:0.000} bits)");
            line.LineWidth = 2;
            line.MarkerSize = 8;
        }
        plot.Axes.SetLimits(0, 1, 0, 1);
        plot.ShowLegend(Alignment.UpperLeft);
        return Finish("reliability", "Reliability diagram: for pairs binned by their predicted probability of being genuine (prior ½, from the map fitted on the other half of the identities), the prior-weighted share that were genuine. On the diagonal: calibrated.", plot);
    }

    /// <summary>An empty plot with its title and axis labels (shared by the report's other figures).</summary>
    internal static Plot NewPlot(string title, string x, string y)
    {
        var plot = new Plot();
        plot.Title(title);
        plot.XLabel(x);
        plot.YLabel(y);
        return plot;
    }

    /// <summary>An axis that carries log10 of the value: a labelled tick per decade, log-spaced minor ticks.</summary>
    private static void LogAxis(ScottPlot.IAxis axis)
    {
        axis.TickGenerator = new NumericAutomatic
        {
            MinorTickGenerator = new LogMinorTickGenerator(),
            IntegerTicksOnly = true,
            LabelFormatter = v => v >= 0 ? "1" : $"1e{Math.Round(v):0}",
        };
    }

    /// <summary>The left end of the FAR axis: the decade below the smallest non-zero FAR any model reaches.</summary>
    private static double LowestFar(IReadOnlyList<VerificationResult> results)
    {
        double min = results.SelectMany(r => r.Roc).Where(p => p.Far > 0).Select(p => p.Far).DefaultIfEmpty(0.1).Min();
        return Math.Floor(Math.Log10(min));
    }

    private static double[] Density(long[] counts, double width)
    {
        double total = counts.Sum();
        return counts.Select(c => total == 0 ? 0 : c / total / width).ToArray();
    }

    /// <summary>Model <paramref name="model"/>'s colour (Category10), the same in every figure of a report.</summary>
    internal static Color Colour(int model) => new ScottPlot.Palettes.Category10().GetColor(model);

    private static string Name(VerificationResult r) => r.Model.Length == 0 ? "(no model)" : r.Model;

    private static string Legend(VerificationResult r) =>
        FormattableString.Invariant($"{Name(r)} (AUC {r.Auc:0.0000}, EER {r.Eer:P2})");
}
