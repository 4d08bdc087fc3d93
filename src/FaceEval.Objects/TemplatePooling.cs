namespace FaceEval;

/// <summary>How several gallery images of one identity become its gallery entry.</summary>
public enum TemplatePooling
{
    /// <summary>
    /// The IJB convention: the embeddings of one media item (MediaId; otherwise each image is its own) are averaged,
    /// the media means are summed and the sum is L2-normalised into one template per identity.
    /// </summary>
    Media,
    /// <summary>Each gallery image stays its own entry; a search's score for an identity is its best image.</summary>
    None,
}
