namespace FaceEval;

/// <summary>One ROC point: accepting scores at or above <see cref="Threshold"/> gives these rates.</summary>
public readonly record struct RocPoint(double Threshold, double Far, double Tar);
