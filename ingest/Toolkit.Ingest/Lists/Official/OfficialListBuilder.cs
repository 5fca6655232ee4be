using System.Globalization;
using Toolkit.Core;
using Toolkit.Ingest.Output;

namespace Toolkit.Ingest.Lists.Official;

/// <summary>
/// Writes the lists mmaction2's <c>tools/data/build_file_list.py</c> writes for a dataset's official annotation files,
/// line for line, from what an extract output holds: <c>frame_dir total_frames label</c> (rawframes, RGB counts from the
/// manifests) or <c>path label</c> (videos), in annotation order (or shuffled, deterministic in the seed), one file per
/// subset or split with mmaction2's names; plus a flow list with flow counts and <c>label_map.txt</c>. An annotated
/// video that was not extracted gets no line and is reported; so is an extracted video no annotation names.
/// </summary>
public static class OfficialListBuilder
{
    /// <summary>Reads the annotations, matches them with the extracted videos and writes every list, all or nothing.</summary>
    public static OfficialListSummary Build(OfficialListOptions options)
    {
        var request = Validate(options);
        var extracted = ExtractedVideos.Load(options.Extracted, exclude: options.Output);
        int level = options.Level ?? extracted.Settings.Level;
        if (level != extracted.Settings.Level)
        {
            throw new ToolkitError("OfficialListOptions.Level", $"{level} differs from the level {options.Extracted} was extracted at ({extracted.Settings.Level}: "
                + (extracted.Settings.Level == 2 ? "class/video folders)" : "one folder per video)"),
                $"Leave --level out (it follows the extraction), or extract again with --level {level}");
        }
        request = request with { Level = level };
        var annotations = Read(options, request);

        var indexes = new Dictionary<Matching, Dictionary<string, ManifestEntry>>();
        Dictionary<string, ManifestEntry> Index(Matching matching)
        {
            if (!indexes.TryGetValue(matching, out var index))
            {
                index = new Dictionary<string, ManifestEntry>(StringComparer.Ordinal);
                foreach (var entry in extracted.Entries)
                {
                    if (EntryKeys.Of(entry, matching, options.Format) is { } key)
                        index.TryAdd(key, entry);
                }
                indexes[matching] = index;
            }
            return index;
        }

        var files = new ListFiles(options.Output);
        files.Add("label_map.txt", annotations.Labels);
        var counts = new List<ListCount>();
        var unlistable = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var list in annotations.Lists.Where(l => request.Wants(l.Subset) && (options.Split is null || l.Split == options.Split)))
        {
            var index = Index(list.Matching);
            // An untrimmed dataset's two kinds of list (clips cut by extract, ranges of whole videos): only the kind the
            // extract output holds is written.
            if (list.Matching != Matching.Folder && index.Count == 0)
                continue;
            var found = new List<(AnnotatedVideo Video, ManifestEntry Entry)>();
            var missing = new List<string>();
            foreach (var video in list.Videos)
            {
                if (index.TryGetValue(video.Key, out var entry) && (video.Range is null || ListLines.InRange(video, entry, extracted.Settings)))
                    found.Add((video, entry));
                else
                    missing.Add(video.Key);
            }
            if (options.Format == ListFormat.Videos)
            {
                foreach (var (_, entry) in found.Where(f => ListLines.HasWhitespace(f.Entry.Source)))
                    unlistable.Add(entry.Source);
                found.RemoveAll(f => ListLines.HasWhitespace(f.Entry.Source));
            }
            if (options.Shuffle)
                ListLines.Shuffle(found, options.Seed, list.Prefix);
            foreach (var (suffix, lines) in ListLines.Files(found, options.Format, extracted.Settings))
                files.Add($"{list.Prefix}_{suffix}.txt", lines);
            counts.Add(new ListCount(list.Prefix, found.Count, missing));
        }
        if (counts.Count == 0)
            throw new ToolkitError(options.Annotations, "defines no list for the subset and split asked for", "Check --subset and --split against the files in it");

        var notAnnotated = NotAnnotated(extracted.Entries, annotations, options.Format);
        if (counts.Sum(c => c.Listed) == 0)
        {
            throw new ToolkitError(options.Extracted, $"holds none of the {counts.Sum(c => c.Missing.Count)} videos the annotations name (first annotated: "
                + $"{counts.SelectMany(c => c.Missing).FirstOrDefault()}; first extracted: {extracted.Entries[0].Output})",
                "Extract the videos of this dataset (folder names are the video ids, class/ first at level 2), or pass its annotations; nothing was written");
        }
        return new OfficialListSummary(counts, notAnnotated, files.Commit(), annotations.Labels.Count, [.. unlistable]);
    }

    private static AnnotationRequest Validate(OfficialListOptions options)
    {
        bool splits = options.Dataset is OfficialDataset.Ucf101 or OfficialDataset.Hmdb51;
        if (options.Split is { } split && (!splits || split is < 1 or > 3))
        {
            throw new ToolkitError("OfficialListOptions.Split", splits ? $"{split} is not a split of {OfficialNames.Of(options.Dataset)}" : $"{OfficialNames.Of(options.Dataset)} has one official split",
                splits ? "Use 1, 2, 3 or all" : "Leave --split out (it is for ucf101 and hmdb51)");
        }
        if (options.Level is { } level && level is not (1 or 2))
            throw new ToolkitError("OfficialListOptions.Level", $"{level} is not a folder level", "Use 1 (OUT/video) or 2 (OUT/class/video)");
        if (splits && options.Subset == Subset.Test)
        {
            throw new ToolkitError("OfficialListOptions.Subset", $"{OfficialNames.Of(options.Dataset)}'s test lists are written as {OfficialNames.Of(options.Dataset)}_val_split_N (mmaction2's names)",
                "Use --subset val");
        }
        if (options.Dataset == OfficialDataset.ActivityNet && options.Format == ListFormat.Videos)
        {
            throw new ToolkitError("OfficialListOptions.Format", "ActivityNet's lists name annotated segments, which have no video file of their own",
                "Use --format rawframes (extract the segments with --segments, or the whole videos)");
        }
        return new AnnotationRequest(options.Level ?? 2, options.Subset, options.Split);
    }

    private static DatasetAnnotations Read(OfficialListOptions options, AnnotationRequest request) => options.Dataset switch
    {
        OfficialDataset.Ucf101 => Ucf101Annotations.Read(options.Annotations, request),
        OfficialDataset.Hmdb51 => Hmdb51Annotations.Read(options.Annotations, request),
        OfficialDataset.Sthv2 => SomethingV2Annotations.Read(options.Annotations, request),
        OfficialDataset.ActivityNet => ActivityNetAnnotations.Read(options.Annotations, request),
        _ => KineticsAnnotations.Read(options.Annotations, OfficialNames.Of(options.Dataset), request),
    };

    /// <summary>Extracted videos that no list read (whatever subset or split was asked for) names.</summary>
    private static List<string> NotAnnotated(IReadOnlyList<ManifestEntry> entries, DatasetAnnotations annotations, ListFormat format)
    {
        var keys = annotations.Lists.GroupBy(l => l.Matching)
            .ToDictionary(g => g.Key, g => g.SelectMany(l => l.Videos).Select(v => v.Key).ToHashSet(StringComparer.Ordinal));
        return [.. entries
            .Where(e => !keys.Any(k => EntryKeys.Of(e, k.Key, format) is { } key && k.Value.Contains(key)))
            .Where(e => format == ListFormat.Rawframes || e.SegmentStart is null)
            .Select(e => e.Output)];
    }
}

/// <summary>The lines of one list, in each file its format writes.</summary>
internal static class ListLines
{
    /// <summary>
    /// (file suffix, lines): rawframes → <c>rawframes</c> (RGB counts, mmaction2's file) and <c>rawframes_flow</c> (flow
    /// counts) for what was extracted; videos → <c>videos</c>.
    /// </summary>
    public static IEnumerable<(string Suffix, IEnumerable<string> Lines)> Files(List<(AnnotatedVideo Video, ManifestEntry Entry)> found, ListFormat format, ExtractSettings settings)
    {
        if (format == ListFormat.Videos)
        {
            yield return ("videos", found.Select(f => string.Create(CultureInfo.InvariantCulture, $"{f.Entry.Source} {f.Video.Label}")));
            yield break;
        }
        if (settings.WritesRgb)
            yield return ("rawframes", found.Select(f => Line(f.Video, f.Entry.Output, f.Entry.Frames)));
        if (settings.WritesFlow)
            yield return ("rawframes_flow", found.Select(f => Line(f.Video, f.Entry.Output, f.Entry.Flows)));
    }

    /// <summary>True when an annotated range of a whole video holds at least one of its frames.</summary>
    public static bool InRange(AnnotatedVideo video, ManifestEntry entry, ExtractSettings settings)
    {
        int frames = settings.WritesRgb ? entry.Frames : entry.Flows;
        return Offsets(video.Range!.Value, frames).Count > 0;
    }

    public static bool HasWhitespace(string text) => text.Any(char.IsWhiteSpace);

    /// <summary>Fisher–Yates with a generator seeded from the run seed and the list's name (not from other lists).</summary>
    public static void Shuffle<T>(List<T> items, int seed, string name)
    {
        var random = new Random(unchecked((int)Seeds.Mix(seed, 0, unchecked((long)StableHash.Of(name)))));
        for (int i = items.Count - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    private static string Line(AnnotatedVideo video, string folder, int frames)
    {
        if (video.Range is not { } range)
            return string.Create(CultureInfo.InvariantCulture, $"{folder} {frames} {video.Label}");
        var (offset, count) = Offsets(range, frames);
        return string.Create(CultureInfo.InvariantCulture, $"{folder} {offset} {count} {video.Label}");
    }

    /// <summary>
    /// The frames of a range of a whole video as mmaction2's ActivityNet script computes them: fps = frames / duration,
    /// offset = int(start · fps), last = min(int(end · fps), frames − 1), count = last − offset + 1.
    /// </summary>
    private static (int Offset, int Count) Offsets((double Start, double End, double Duration) range, int frames)
    {
        double fps = frames / range.Duration;
        int offset = (int)(range.Start * fps);
        int last = Math.Min((int)(range.End * fps), frames - 1);
        return (offset, Math.Max(0, last - offset + 1));
    }
}
