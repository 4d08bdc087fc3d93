namespace FaceEval.Core.Service;

/// <summary>The result for one item: an embedding or an error.</summary>
public sealed record EmbeddingOutcome(EmbeddingItem Item, FaceEmbedding? Embedding, FaceEvalException? Error, bool Reencoded)
{
    /// <summary>Requests sent for the item, retries included, whether it succeeded or failed (0 when resumed or never sent).</summary>
    public int Attempts { get; init; }

    /// <summary>For an item the service found no face in: an embedding with an empty vector, which measuring counts as a failure to enrol.</summary>
    public FaceEmbedding FailureToEnrol(string model) => new()
    {
        SourcePath = Item.SourcePath, Model = model, Vector = Array.Empty<float>(), ImagePath = Item.FilePath, FaceIndex = Item.FaceIndex,
    };
}
