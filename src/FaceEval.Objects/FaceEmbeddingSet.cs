namespace FaceEval;

/// <summary>
/// Many embeddings of one model as one object: an (N, D) matrix read from one .npy file with a label per
/// row (Import-FaceEmbedding -Matrix -LabelPath). Measure-FaceVerification and Compare-FaceModel take it
/// like N FaceEmbedding objects, without making a PowerShell object per vector.
/// </summary>
public sealed class FaceEmbeddingSet
{
    /// <summary>The model the vectors came from.</summary>
    public required string Model { get; init; }

    /// <summary>The .npy file the matrix was read from.</summary>
    public required string MatrixPath { get; init; }

    /// <summary>D, the length of every vector.</summary>
    public int Dimension { get; init; }

    /// <summary>N, the number of vectors.</summary>
    public int Count => Vectors.Length;

    /// <summary>The rows of the matrix, in file order.</summary>
    public required float[][] Vectors { get; init; }

    /// <summary>The identity of each row.</summary>
    public required string[] Identities { get; init; }

    /// <summary>The label of each row (the labels file's Label or Path column, else the matrix file and the row number).</summary>
    public required string[] Labels { get; init; }

    public override string ToString() => $"{Count:N0} embeddings of {Dimension} dimensions, model '{Model}' ({System.IO.Path.GetFileName(MatrixPath)})";
}
