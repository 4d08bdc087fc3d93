namespace FaceEval.Core.Imaging;

/// <summary>The outcome of reading an image header: its status, the format its signature names, and the size when read.</summary>
public readonly record struct ImageHeaderResult(ImageHeaderStatus Status, string? Format, ImageSize? Size);
