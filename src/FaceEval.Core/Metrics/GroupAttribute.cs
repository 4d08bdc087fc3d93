namespace FaceEval.Core.Metrics;

/// <summary>One attribute to break the results down by, with each item's value.</summary>
/// <param name="Name">The attribute (Sex, AgeBand, ...).</param>
/// <param name="Values">The value of each scored item, in the order of <see cref="SubgroupInput.Identity"/>; null or empty when the item has none (it is left out of this attribute).</param>
/// <param name="LeftOutFailures">The values of failures to enrol that were excluded from the pairs (-FailureToEnrol Exclude): counted per group, in no pair.</param>
public sealed record GroupAttribute(string Name, IReadOnlyList<string?> Values, IReadOnlyList<string?>? LeftOutFailures = null);
