namespace FaceEval.Core.Imaging;

/// <summary>Where to cut and how large the result is.</summary>
/// <param name="CropBox">The region cut out of the image, after the margin and clamping.</param>
/// <param name="OutputWidth">Width of the saved crop.</param>
/// <param name="OutputHeight">Height of the saved crop.</param>
/// <param name="Scale">The resize factor (1 when the crop was not resized).</param>
public readonly record struct CropPlan(FaceBox CropBox, int OutputWidth, int OutputHeight, double Scale)
{
    public bool Resized => OutputWidth != CropBox.Width || OutputHeight != CropBox.Height;
}
