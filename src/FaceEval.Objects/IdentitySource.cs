namespace FaceEval;

/// <summary>Where Invoke-FaceEmbedding takes each embedding's identity from.</summary>
public enum IdentitySource
{
    /// <summary>The piped object's Identity property when it has one, else the name of the folder the image is in.</summary>
    Auto,
    /// <summary>The piped object's Identity property only (a detections CSV column, say); none when it has none.</summary>
    Property,
    /// <summary>The name of the folder the image is in (one folder per person: photos/alice/1.jpg is alice).</summary>
    Folder,
    /// <summary>No identity.</summary>
    None,
}
