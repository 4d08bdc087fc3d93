namespace FaceEval.Core.Imaging;

/// <summary>What <see cref="ImageHeader.Read"/> could tell from an image's first bytes.</summary>
public enum ImageHeaderStatus
{
    /// <summary>The signature names a known format and the header gave the size.</summary>
    Read,

    /// <summary>The signature names a known format but its header is damaged or cut short: refuse the image.</summary>
    Unreadable,

    /// <summary>No known signature: only OpenCV's own limit bounds what decoding it could allocate.</summary>
    UnknownFormat,
}
