using ScottPlot;
using ScottPlot.TickGenerators;

namespace FaceEval.Core.Reporting;

/// <summary>
/// Draws the identification results with ScottPlot, one colour per model: the CMC (rank-R identification rate
/// against R), FNIR against FPIR (NIST FRVT's identification error tradeoff, both axes logarithmic) and the
/// gallery-size curve (FNIR at the first target FPIR and the rank-1 miss rate against gallery size, with the
/// FPIR the full gallery's threshold gives, measured and as independence predicts it).
/// </summary>
public static class IdentificationPlots
{
    /// <summary>Renders the figures in memory (the gallery-size figure only when a result has a curve).</summary>
    public static IReadOnlyList<RenderedPlot> Render(IReadOnlyList<IdentificationResult> results)
    {
        if (results.Count == 0) throw new ArgumentException("There is nothing to plot: no results.", nameof(results));
        var plots = new List<RenderedPlot>
        {
            Finish("cmc", "CMC: share of mated searches whose mate ranks R or better (ties against the mate)", Cmc(results)),
            Finish("fnir-fpir", "FNIR against FPIR (both log scale): misses at rank R against false alarms, over every threshold", Tradeoff(results)),
        };
        if (results.Any(r => r.GallerySizeCurve.Length > 0))
            plots.Add(Finish("gallery-size", "Gallery size: FNIR at the first target FPIR (solid, median of draws), and FPIR at the full gallery's threshold, measured (dashed) and predicted by independence (dotted)", GallerySize(results)));
        return plots;
    }

    private static RenderedPlot Finish(string name, string title, Plot plot) =>
        new(name, title, plot.GetImageBytes(VerificationPlots.Width, VerificationPlots.Height, ImageFormat.Png), plot.GetSvgXml(VerificationPlots.Width, VerificationPlots.Height));

    private static Plot Cmc(IReadOnlyList<IdentificationResult> results)
    {
        var plot = NewPlot("CMC", "Rank", "Identification rate");
        for (int m = 0; m < results.Count; m++)
        {
            var cmc = results[m].Cmc;
            if (cmc.Length == 0 || cmc.All(double.IsNaN)) continue;
            var line = plot.Add.ScatterLine(Enumerable.Range(1, cmc.Length).Select(r => (double)r).ToArray(), cmc, Colour(m));
            line.LegendText = FormattableString.Invariant($"{Name(results[m])} (rank 1 {results[m].RankOneRate:P2})");
            line.LineWidth = 2;
            line.MarkerSize = 5;
        }
        plot.Axes.AutoScaleX();
        plot.Axes.SetLimitsY(0, 1.02);
        plot.ShowLegend(Alignment.LowerRight);
        return plot;
    }

    private static Plot Tradeoff(IReadOnlyList<IdentificationResult> results)
    {
        var plot = NewPlot("FNIR against FPIR", "False positive identification rate (FPIR)", "False negative identification rate (FNIR)");
        double lowestX = 0, lowestY = 0;
        for (int m = 0; m < results.Count; m++)
        {
            var points = results[m].FnirCurve.Where(p => p.Fpir > 0 && p.Fnir > 0).ToArray();
            if (points.Length == 0) continue;
            var xs = points.Select(p => Math.Log10(p.Fpir)).ToArray();
            var ys = points.Select(p => Math.Log10(p.Fnir)).ToArray();
            lowestX = Math.Min(lowestX, xs.Min());
            lowestY = Math.Min(lowestY, ys.Min());
            var line = plot.Add.ScatterLine(xs, ys, Colour(m));
            line.LegendText = Name(results[m]);
            line.LineWidth = 2;
        }
        LogAxis(plot.Axes.Bottom);
        LogAxis(plot.Axes.Left);
        plot.Axes.SetLimits(Math.Floor(lowestX) - 0.05, 0.05, Math.Floor(lowestY) - 0.05, 0.05);
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }

    private static Plot GallerySize(IReadOnlyList<IdentificationResult> results)
    {
        var plot = NewPlot("Gallery size", "Gallery identities (log scale)", "Rate");
        for (int m = 0; m < results.Count; m++)
        {
            var curve = results[m].GallerySizeCurve;
            if (curve.Length == 0 || curve[0].TargetFpir.Length == 0) continue;
            var xs = curve.Select(p => Math.Log10(p.GallerySize)).ToArray();
            string target = curve[0].TargetFpir[0].ToString("0.#####e0", System.Globalization.CultureInfo.InvariantCulture);
            var fnir = plot.Add.ScatterLine(xs, curve.Select(p => p.Fnir[0]).ToArray(), Colour(m));
            fnir.LegendText = $"{Name(results[m])} FNIR at FPIR {target}";
            fnir.LineWidth = 2;
            var measured = plot.Add.ScatterLine(xs, curve.Select(p => p.FpirAtFullThreshold[0]).ToArray(), Colour(m));
            measured.LegendText = $"{Name(results[m])} FPIR at the full gallery's threshold";
            measured.LinePattern = LinePattern.Dashed;
            var predicted = plot.Add.ScatterLine(xs, curve.Select(p => p.PredictedFpir[0]).ToArray(), Colour(m));
            predicted.LegendText = $"{Name(results[m])} FPIR predicted, 1 − (1 − FMR)^N";
            predicted.LinePattern = LinePattern.Dotted;
        }
        LogAxis(plot.Axes.Bottom, decadeLabels: true);
        plot.Axes.AutoScaleX();
        plot.Axes.SetLimitsY(0, 1.02);
        plot.ShowLegend(Alignment.UpperLeft);
        return plot;
    }

    private static Plot NewPlot(string title, string x, string y) => VerificationPlots.NewPlot(title, x, y);

    private static void LogAxis(IAxis axis, bool decadeLabels = false) =>
        axis.TickGenerator = new NumericAutomatic
        {
            MinorTickGenerator = new LogMinorTickGenerator(),
            IntegerTicksOnly = true,
            LabelFormatter = decadeLabels ? v => Math.Pow(10, v).ToString("0", System.Globalization.CultureInfo.InvariantCulture) : v => v >= 0 ? "1" : $"1e{Math.Round(v):0}",
        };

    /// <summary>A model's colour: the verification plots' own, so one model has one colour on the whole page.</summary>
    private static Color Colour(int model) => VerificationPlots.Colour(model);

    private static string Name(IdentificationResult r) => r.Model.Length == 0 ? "(no model)" : r.Model;
}
