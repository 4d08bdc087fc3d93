namespace FaceEval.Server;

/// <summary>
/// Test mode (--fault-switch-model-after N): from the (N+1)-th embedded request on, every model answers with
/// its features in reverse order, a vector of the same name, length and norm but another direction, as when a
/// service swaps the model behind a name in the middle of an evaluation. Drift canaries must notice.
/// </summary>
public sealed class ModelSwitch(int? after)
{
    private int _answered;

    /// <summary>True once the switch has happened.</summary>
    public bool Switched => after is int n && Volatile.Read(ref _answered) > n;

    /// <summary>Counts one embedded request and returns the features it answers with.</summary>
    public float[] Apply(float[] feature)
    {
        if (after is not int n) return feature;
        if (Interlocked.Increment(ref _answered) <= n || feature.Length == 0) return feature;
        var switched = (float[])feature.Clone();
        Array.Reverse(switched);
        return switched;
    }
}
