namespace FaceEval.Core.Privacy;

/// <summary>What <see cref="DataRemoval"/> does with a file its records name.</summary>
public enum RemovalAction
{
    /// <summary>Inside the folder and unchanged since FaceEval wrote it: deleted.</summary>
    Delete,
    /// <summary>Of a kind the caller keeps.</summary>
    Keep,
    /// <summary>Its content changed since FaceEval wrote it: no longer FaceEval's, left alone.</summary>
    SkipChanged,
    /// <summary>Outside the folder being cleaned: left alone.</summary>
    SkipOutside,
    /// <summary>Already gone.</summary>
    Missing,
}
