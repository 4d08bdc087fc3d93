namespace FaceEval;

/// <summary>How four box numbers are read.</summary>
public enum BoxFormat
{
    /// <summary>x, y of the top-left corner, then width and height.</summary>
    XYWH,
    /// <summary>x1, y1 of the top-left corner, then x2, y2 of the bottom-right corner (RetinaFace, SCRFD).</summary>
    XYXY,
}
