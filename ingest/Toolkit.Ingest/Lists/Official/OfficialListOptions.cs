namespace Toolkit.Ingest.Lists.Official;

/// <summary>Options of <c>toolkit lists --dataset</c>.</summary>
public sealed record OfficialListOptions
{
    /// <summary>An output folder of <c>toolkit extract</c> (every shard's manifest in it is merged).</summary>
    public required string Extracted { get; init; }

    /// <summary>Folder the lists are written to.</summary>
    public required string Output { get; init; }

    /// <summary>The dataset whose official annotation files are read.</summary>
    public required OfficialDataset Dataset { get; init; }

    /// <summary>Folder holding the official annotation files.</summary>
    public required string Annotations { get; init; }

    /// <summary>UCF101 and HMDB51: split 1, 2 or 3; null writes all three (as mmaction2 does).</summary>
    public int? Split { get; init; }

    /// <summary>Rawframe lists or video lists.</summary>
    public ListFormat Format { get; init; } = ListFormat.Rawframes;

    /// <summary>Folder depth, 1 (<c>video</c>) or 2 (<c>class/video</c>); null takes the level the output was extracted at.</summary>
    public int? Level { get; init; }

    /// <summary>Which subsets to write.</summary>
    public Subset Subset { get; init; } = Subset.All;

    /// <summary>Shuffle the lines of every list (deterministic in <see cref="Seed"/>).</summary>
    public bool Shuffle { get; init; }

    /// <summary>Seed of the shuffle.</summary>
    public int Seed { get; init; }
}
