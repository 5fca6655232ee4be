namespace Toolkit.Ingest.Lists.Official;

/// <summary>How an annotated item finds its extracted video.</summary>
internal enum Matching
{
    /// <summary>By output folder (<c>class/video</c> or <c>video</c>): mmaction2's video id.</summary>
    Folder,
    /// <summary>By source video and time range (a clip extracted with <c>extract --segments</c>).</summary>
    Segment,
    /// <summary>By source video (an untrimmed video extracted whole): the line names a frame range of it.</summary>
    WholeVideo,
}

/// <summary>One line-to-be of a list: an annotated video (or clip) and its label.</summary>
/// <param name="Key">What it matches (<see cref="Matching"/>): mmaction2's video id for <see cref="Matching.Folder"/>.</param>
/// <param name="Label">Label index, or -1 where the annotations give none (test subsets).</param>
/// <param name="Where">File and line (or JSON item) it comes from, for messages.</param>
internal sealed record AnnotatedVideo(string Key, int Label, string Where)
{
    /// <summary><see cref="Matching.WholeVideo"/>: the annotated range in seconds and the video's annotated duration.</summary>
    public (double Start, double End, double Duration)? Range { get; init; }
}

/// <summary>One list file (before the format suffix), in the order mmaction2 writes its lines.</summary>
/// <param name="Prefix">File name without the format: <c>kinetics400_train_list</c>, <c>ucf101_val_split_2</c>.</param>
/// <param name="Subset">The subset it holds.</param>
/// <param name="Split">UCF101 / HMDB51 split number, else null.</param>
/// <param name="Matching">How its items find their videos.</param>
/// <param name="Videos">Its items, in annotation order.</param>
internal sealed record AnnotationList(string Prefix, Subset Subset, int? Split, Matching Matching, IReadOnlyList<AnnotatedVideo> Videos);

/// <summary>What a dataset's official files say.</summary>
/// <param name="Labels">Label names: line i of label_map.txt is the name of label i.</param>
/// <param name="Lists">Every list the files define (all subsets and splits read, before any selection).</param>
internal sealed record DatasetAnnotations(IReadOnlyList<string> Labels, IReadOnlyList<AnnotationList> Lists);

/// <summary>Which parts of a dataset a reader must read (the rest it reads when present).</summary>
/// <param name="Level">Folder depth of the video ids, 1 or 2.</param>
/// <param name="Subset">The subsets asked for.</param>
/// <param name="Split">The split asked for (UCF101, HMDB51), or null for all.</param>
internal sealed record AnnotationRequest(int Level, Subset Subset, int? Split)
{
    /// <summary>True when <paramref name="subset"/> is asked for.</summary>
    public bool Wants(Subset subset) => Subset == Subset.All || Subset == subset;

    /// <summary>The split numbers to read.</summary>
    public IEnumerable<int> Splits => Split is { } s ? [s] : [1, 2, 3];
}
