namespace FaceEval.Core.Imaging;

/// <summary>Four box numbers as the user gave them, read later so that a bad box fails only itself.</summary>
public sealed record BoxSpec(double A, double B, double C, double D, BoxFormat Format, int FaceIndex, object? Tag = null);
