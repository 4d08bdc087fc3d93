namespace FaceEval.Core.Service;

/// <summary>One image to embed.</summary>
/// <param name="SourcePath">The original image, for labels and messages.</param>
/// <param name="FileName">The file name sent in the form.</param>
/// <param name="Data">The image bytes, when held in memory (a crop from Get-FaceCrop).</param>
/// <param name="FilePath">The image file, when not in memory.</param>
/// <param name="NpyPath">Where to save the vector; null to keep it in memory only.</param>
/// <param name="FaceIndex">The face's index in its source image, for crops.</param>
/// <param name="Tag">The caller's (e.g. the properties to carry onto the output).</param>
/// <param name="Labels">The input's labels as text (Sex, AgeBand, ...), recorded in the run manifest with the vector.</param>
/// <param name="ConsentRef">The consent reference the image is sent under (its ConsentRef label, or the one -ConsentProperty names); null when it has none. Recorded in the manifest row.</param>
public sealed record EmbeddingItem(string SourcePath, string FileName, byte[]? Data, string? FilePath, string? NpyPath, int? FaceIndex = null, object? Tag = null,
    IReadOnlyDictionary<string, string>? Labels = null, string? ConsentRef = null);
