namespace FaceEval;

/// <summary>A confidence interval: its lower and upper bound.</summary>
public readonly record struct Interval(double Low, double High)
{
    public static implicit operator Interval((double Low, double High) bounds) => new(bounds.Low, bounds.High);
}
