namespace FaceEval.Core.Metrics;

/// <summary>A linear map from score to log-likelihood ratio (natural log): llr(s) = Slope · s + Intercept.</summary>
public readonly record struct LlrLine(double Slope, double Intercept)
{
    public double Llr(double score) => Slope * score + Intercept;
}
