namespace FaceEval.Core.Metrics;

/// <summary>One rate's two-sided interval, one-sided upper bound (both at the same level), the effective number of trials used, and whether no error was observed.</summary>
public readonly record struct RateBounds(Interval Interval, double Upper, double EffectiveTrials, bool NoErrorObserved);
