namespace FaceEval.Core.Identification;

/// <summary>Gallery entries as rows of one array, each with its identity class (0 … Classes − 1).</summary>
/// <param name="Vectors">Entries × Dimension numbers, row-major.</param>
/// <param name="EntryClass">Per entry, its identity class.</param>
/// <param name="Classes">How many identities.</param>
/// <param name="Dimension">Numbers per vector.</param>
public sealed record GalleryMatrix(float[] Vectors, int[] EntryClass, int Classes, int Dimension)
{
    public int Entries => EntryClass.Length;

    /// <summary>True when each identity has exactly one entry, in class order (pooled templates): entry scores are class scores.</summary>
    public bool OnePerClass { get; } = EntryClass.Length == Classes && EntryClass.Select((c, i) => c == i).All(b => b);
}
