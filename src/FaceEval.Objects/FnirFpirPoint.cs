namespace FaceEval;

/// <summary>One point of the FNIR-against-FPIR curve (NIST FRVT's identification error tradeoff) at rank R.</summary>
public readonly record struct FnirFpirPoint(double Threshold, double Fpir, double Fnir);
