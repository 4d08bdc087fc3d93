namespace FaceEval.Core.Identification;

/// <summary>The searches: one vector each (empty rows for failures to enrol), its mate class or −1 (non-mated), its identity number.</summary>
/// <param name="Vectors">Probes × Dimension numbers, row-major (a failure to enrol's row is ignored).</param>
/// <param name="Enrolled">Per probe, whether it has an embedding.</param>
/// <param name="MateClass">Per probe, the gallery class of its identity; −1 for a non-mated search; −2 to leave it out.</param>
/// <param name="Identity">Per probe, its identity number (shared by all searches of one person).</param>
public sealed record ProbeSet(float[] Vectors, bool[] Enrolled, int[] MateClass, int[] Identity)
{
    public int Count => MateClass.Length;
}
