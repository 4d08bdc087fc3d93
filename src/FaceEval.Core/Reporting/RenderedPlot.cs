namespace FaceEval.Core.Reporting;

/// <summary>One rendered figure, in both formats.</summary>
/// <param name="Name">File name without extension (roc, det, scores).</param>
/// <param name="Title">What the figure shows, for captions.</param>
/// <param name="Png">The figure as a PNG file.</param>
/// <param name="Svg">The figure as an SVG document.</param>
public sealed record RenderedPlot(string Name, string Title, byte[] Png, string Svg);
