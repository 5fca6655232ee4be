namespace Toolkit.Ingest.Lists.Official;

/// <summary>What one list holds.</summary>
/// <param name="Name">Its name without the format suffix (<c>kinetics400_train_list</c>, <c>ucf101_val_split_1</c>).</param>
/// <param name="Listed">Lines written (videos found in the extract output).</param>
/// <param name="Missing">Annotated videos (ids, in annotation order) that the extract output does not hold: no line is written for them.</param>
public sealed record ListCount(string Name, int Listed, IReadOnlyList<string> Missing);

/// <summary>What <c>toolkit lists --dataset</c> wrote.</summary>
/// <param name="Lists">Every list, in the order written.</param>
/// <param name="NotAnnotated">Extracted videos (output folders) that no annotation file read names.</param>
/// <param name="Files">Every file written, label_map.txt first.</param>
/// <param name="Classes">Number of labels.</param>
/// <param name="UnlistableVideos">
/// Video lists only: source paths left out because they contain whitespace (mmaction2 splits list lines on whitespace).
/// </param>
public sealed record OfficialListSummary(IReadOnlyList<ListCount> Lists, IReadOnlyList<string> NotAnnotated, IReadOnlyList<string> Files, int Classes, IReadOnlyList<string> UnlistableVideos)
{
    /// <summary>Lines written over all lists.</summary>
    public int Listed => Lists.Sum(l => l.Listed);

    /// <summary>Annotated videos missing from the extract output, over all lists.</summary>
    public int Missing => Lists.Sum(l => l.Missing.Count);

    /// <summary>The one-line account: <c>N listed, M missing on disk, K on disk but not annotated</c>.</summary>
    public string Account => $"{Listed} listed, {Missing} missing on disk, {NotAnnotated.Count} on disk but not annotated";
}
