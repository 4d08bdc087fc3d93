namespace FaceEval;

/// <summary>TAR at one target FAR. A pair is accepted when its score is at least <see cref="Threshold"/>.</summary>
public sealed record OperatingPoint(double TargetFar, double Threshold, double Tar, double AchievedFar, long FalseAccepts, bool Estimable)
{
    /// <summary>The model measured, so that operating points of several models can be listed or exported together.</summary>
    public string Model { get; init; } = "";

    public double Frr => 1 - Tar;
    /// <summary>Lower bound of the bootstrap interval for TAR (strict rule), when bootstrapped.</summary>
    public double? TarLow { get; init; }
    /// <summary>Upper bound of the bootstrap interval for TAR, when bootstrapped.</summary>
    public double? TarHigh { get; init; }
}
