namespace FaceEval.Core.Metrics;

/// <summary>What <see cref="SubgroupAnalysis"/> measured for one model.</summary>
/// <param name="Groups">Per group of each attribute, attributes in the order asked, groups in ordinal order.</param>
/// <param name="Cross">FMR between each two groups (and within each) of each attribute.</param>
/// <param name="Indices">Summary indices, one per attribute.</param>
/// <param name="GroupFar">The target FMR of the global threshold.</param>
/// <param name="Threshold">The global threshold T*.</param>
public sealed record SubgroupBreakdown(GroupRate[] Groups, CrossGroupRate[] Cross, GroupInequity[] Indices, double GroupFar, double Threshold);
