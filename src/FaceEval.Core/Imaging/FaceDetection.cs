namespace FaceEval.Core.Imaging;

/// <summary>A face found by the detector, in the coordinates of the image passed in.</summary>
/// <param name="Box">Integer box (see <see cref="FaceBox.From"/> for the rounding).</param>
/// <param name="Score">Detector confidence, 0..1.</param>
/// <param name="Landmarks">Five points: right eye, left eye, nose tip, right and left mouth corners (x, y each).</param>
public sealed record FaceDetection(FaceBox Box, float Score, float[] Landmarks);
