namespace FaceEval.Core.Imaging;

/// <summary>An image's width and height in pixels, as its header declares them.</summary>
public readonly record struct ImageSize(long Width, long Height)
{
    public static implicit operator ImageSize((long Width, long Height) s) => new(s.Width, s.Height);
}
