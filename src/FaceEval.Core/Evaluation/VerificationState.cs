using FaceEval.Core.Metrics;

namespace FaceEval.Core.Evaluation;

/// <summary>
/// What <c>Measure-FaceVerification -SaveState</c> writes: the counts of one block of the pair space (or of
/// all pairs) of each model, and the settings the blocks must share to be merged
/// (<see cref="VerificationStateMerge"/>). Read and written by <see cref="IO.VerificationStateFile"/>.
/// </summary>
public sealed class VerificationState
{
    /// <summary>The format version this build writes and reads.</summary>
    public const int FormatVersion = 1;

    public int BlockIndex { get; init; } = 1;
    public int BlockCount { get; init; } = 1;
    public required IReadOnlyList<double> FarTargets { get; init; }
    public FarConvention Convention { get; init; }
    public FailureToEnrolHandling FailureToEnrol { get; init; }
    public required IReadOnlyList<VerificationModelState> Models { get; init; }
}
