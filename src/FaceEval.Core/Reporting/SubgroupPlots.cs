using System.Globalization;
using ScottPlot;
using ScottPlot.TickGenerators;

namespace FaceEval.Core.Reporting;

/// <summary>
/// The subgroup figures of one model and one attribute: the heat map of log10 cross-group FMR at the global
/// threshold, coloured as NIST's demographic reports colour theirs (at or below the target in one colour,
/// above it graded by how many times the target), and the DET curve of every group on one plot.
/// </summary>
public static class SubgroupPlots
{
    /// <summary>The colour of a cell at or below the target FMR.</summary>
    public static readonly Color AtOrBelowTarget = Color.FromHex("#c6dbef");
    /// <summary>Above the target: from just above (pale yellow) to 100 times and more (dark red).</summary>
    private static readonly Color[] s_above = { Color.FromHex("#fee391"), Color.FromHex("#fe9929"), Color.FromHex("#d7301f"), Color.FromHex("#7f0000") };

    /// <summary>The colour of a cross-group cell: <see cref="AtOrBelowTarget"/>, graded above it, white when n/e.</summary>
    public static Color CellColour(double fmr, double target)
    {
        if (double.IsNaN(fmr)) return Colors.White;
        if (fmr <= target) return AtOrBelowTarget;
        double decades = Math.Clamp(Math.Log10(fmr / target) / 2, 0, 1) * (s_above.Length - 1); // 0..2 decades over the scale
        int k = Math.Min((int)Math.Floor(decades), s_above.Length - 2);
        double f = decades - k;
        var (a, b) = (s_above[k], s_above[k + 1]);
        return new Color((byte)(a.R + f * (b.R - a.R)), (byte)(a.G + f * (b.G - a.G)), (byte)(a.B + f * (b.B - a.B)));
    }

    /// <summary>The heat map of log10 FMR between every two groups (and within each) of <paramref name="attribute"/>.</summary>
    public static RenderedPlot HeatMap(VerificationResult r, string attribute)
    {
        var groups = r.Groups.Where(g => g.Attribute == attribute).Select(g => g.Group).ToArray();
        var plot = new Plot();
        plot.Title($"Cross-group FMR, {Name(r)}, {attribute} (threshold at FMR {Far(r.GroupFar)})");
        plot.XLabel(attribute);
        plot.YLabel(attribute);
        var ticks = new NumericManual();
        for (int k = 0; k < groups.Length; k++) ticks.AddMajor(k, groups[k]);
        int n = groups.Length;
        foreach (var c in r.CrossGroupFmr.Where(c => c.Attribute == attribute))
        {
            int a = Array.IndexOf(groups, c.GroupA), b = Array.IndexOf(groups, c.GroupB);
            foreach (var (x, y) in a == b ? new[] { (a, b) } : new[] { (a, b), (b, a) })
            {
                // Row 0 at the top, as a table reads.
                double top = n - y, bottom = n - y - 1;
                var rect = plot.Add.Rectangle(x - 0.5, x + 0.5, bottom - 0.5, top - 0.5);
                rect.FillColor = CellColour(c.Fmr, r.GroupFar);
                rect.LineColor = Colors.Gray;
                string label = double.IsNaN(c.Fmr) ? "n/e" : c.Fmr == 0 ? "0" : $"{Math.Log10(c.Fmr).ToString("0.00", CultureInfo.InvariantCulture)}";
                var text = plot.Add.Text(label, x, (top + bottom) / 2 - 0.5);
                text.LabelAlignment = Alignment.MiddleCenter;
                text.LabelFontSize = 14;
                text.LabelFontColor = Colors.Black;
            }
        }
        var rows = new NumericManual();
        for (int k = 0; k < groups.Length; k++) rows.AddMajor(n - k - 1, groups[k]);
        plot.Axes.Bottom.TickGenerator = ticks;
        plot.Axes.Left.TickGenerator = rows;
        plot.Axes.SetLimits(-0.5, n - 0.5, -0.5, n - 0.5);
        string name = $"subgroups-{Slug(attribute)}-{Slug(Name(r))}-heatmap";
        return Finish(name, $"{Name(r)}, {attribute}: log10 of the cross-group FMR at the global threshold (FMR {Far(r.GroupFar)} over all impostor pairs). " +
            "Blue: at or below the target; yellow to dark red: above it, darker the further (up to 100× and more); n/e: fewer impostor pairs than 1/target.", plot);
    }

    /// <summary>The DET curve of every group of <paramref name="attribute"/>, with each group's operating point at the global threshold.</summary>
    public static RenderedPlot Det(VerificationResult r, string attribute)
    {
        var plot = new Plot();
        plot.Title($"DET per group, {Name(r)}, {attribute}");
        plot.XLabel("False match rate (FMR)");
        plot.YLabel("False non-match rate (FNMR)");
        var rows = r.Groups.Where(g => g.Attribute == attribute).ToArray();
        double lowest = -1, lowestFrr = -1;
        for (int k = 0; k < rows.Length; k++)
        {
            var points = rows[k].Roc.Where(p => p.Far > 0 && p.Tar < 1).OrderBy(p => p.Far).ToArray();
            if (points.Length == 0) continue;
            var x = points.Select(p => Math.Log10(p.Far)).ToArray();
            var y = points.Select(p => Math.Log10(1 - p.Tar)).ToArray();
            lowest = Math.Min(lowest, Math.Floor(x.Min()));
            lowestFrr = Math.Min(lowestFrr, Math.Floor(y.Min()));
            var line = plot.Add.ScatterLine(x, y, Colour(k));
            line.LegendText = $"{rows[k].Group} ({rows[k].Identities:N0} identities)";
            line.LineWidth = 2;
            if (rows[k].Fmr > 0 && rows[k].Fnmr > 0)
            {
                var marker = plot.Add.Marker(Math.Log10(rows[k].Fmr), Math.Log10(rows[k].Fnmr), MarkerShape.FilledCircle, 9, Colour(k));
                marker.LegendText = "";
            }
        }
        var vertical = plot.Add.VerticalLine(Math.Log10(r.GroupFar), 1, Colors.Gray, LinePattern.Dotted);
        vertical.LegendText = $"target FMR {Far(r.GroupFar)}";
        LogAxis(plot.Axes.Bottom);
        LogAxis(plot.Axes.Left);
        plot.Axes.SetLimits(lowest, 0, lowestFrr - 0.05, 0.05);
        plot.ShowLegend(Alignment.UpperRight);
        string name = $"subgroups-{Slug(attribute)}-{Slug(Name(r))}-det";
        return Finish(name, $"{Name(r)}, {attribute}: DET curve of each group over its own genuine and impostor pairs; the dots are each group's (FMR, FNMR) at the global threshold.", plot);
    }

    private static RenderedPlot Finish(string name, string title, Plot plot) =>
        new(name, title, plot.GetImageBytes(VerificationPlots.Width, VerificationPlots.Height, ImageFormat.Png), plot.GetSvgXml(VerificationPlots.Width, VerificationPlots.Height));

    private static void LogAxis(IAxis axis)
    {
        axis.TickGenerator = new NumericAutomatic
        {
            MinorTickGenerator = new LogMinorTickGenerator(),
            IntegerTicksOnly = true,
            LabelFormatter = v => v >= 0 ? "1" : $"1e{Math.Round(v):0}",
        };
    }

    /// <summary>Groups take colours after the models' (Category10 from its fifth colour), so a group is never mistaken for a model.</summary>
    private static Color Colour(int group) => new ScottPlot.Palettes.Category10().GetColor(group + 4);

    private static string Name(VerificationResult r) => r.Model.Length == 0 ? "(no model)" : r.Model;

    private static string Far(double far) => far.ToString("0.#####e0", CultureInfo.InvariantCulture);

    /// <summary>A file-name-safe form of a name: letters, digits, '-' and '_' only.</summary>
    public static string Slug(string text)
    {
        var s = new string(text.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_').ToArray());
        return s.Length == 0 ? "_" : s;
    }
}
