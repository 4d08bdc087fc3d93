namespace FaceEval.Core.Evaluation;

/// <summary>
/// The labelled embeddings of an evaluation, per model, in the order they came in. Built once by the caller
/// (the cmdlets' binder), then read by every analysis, so all models are measured on the same inputs.
/// </summary>
public sealed class EvaluationSet
{
    private readonly Dictionary<string, List<EvaluationItem>> _byModel = new(StringComparer.Ordinal);

    /// <summary>Adds one item to its model's list.</summary>
    public void Add(EvaluationItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (!_byModel.TryGetValue(item.Model, out var list)) _byModel[item.Model] = list = new List<EvaluationItem>();
        list.Add(item);
    }

    /// <summary>The models, in ordinal order.</summary>
    public IReadOnlyList<string> Models => _byModel.Keys.Order(StringComparer.Ordinal).ToArray();

    /// <summary>The items of one model, in input order (empty for a model not in the set).</summary>
    public IReadOnlyList<EvaluationItem> Items(string model) => _byModel.TryGetValue(model, out var list) ? list : Array.Empty<EvaluationItem>();

    /// <summary>Items over all models.</summary>
    public int Count => _byModel.Values.Sum(l => l.Count);
}
