using Toolkit.Core;

namespace Toolkit.Estimator.Presets;

/// <summary>
/// The dataset presets of <c>toolkit estimate NAME</c>. Split sizes of the Kinetics sets and ActivityNet are those of the
/// project's reference notes (SPEC §2); the others are from each dataset's paper. A statistic that is not published is
/// marked "assumed" in its source text, with the reason.
/// </summary>
public static class DatasetPresets
{
    private const string YouTubeFps = "assumed: not published; most YouTube uploads are 30 fps (for K400 itself mmaction2 keeps each clip's native rate)";
    private const string Wide = "assumed: sources vary and no distribution is published; 16:9 (YouTube's default aspect) is assumed, which after a short-side resize is all that matters";

    /// <summary>Kinetics-400 (Kay et al. 2017).</summary>
    public static DatasetPreset Kinetics400 { get; } = new(
        "kinetics400", "Kinetics-400",
        [new("train", 240_618), new("val", 19_404)],
        "SPEC §2 (seed notes; mmaction2's copy has 240,436 / 19,796); Kay et al. 2017, 'The Kinetics Human Action Video Dataset', arXiv:1705.06950",
        new(10, 0, "Kay et al. 2017: clips of about 10 s cut from YouTube; spread not published, assumed 0 (nearly all clips are exactly 10 s)"),
        new(30, null, YouTubeFps),
        1280, 720, Wide,
        new(400e9 / (240_618 + 19_404), null, "SPEC §2: K400 videos ≈ 400 GB (mmaction2 docs and issues) over 260,022 videos"));

    /// <summary>Kinetics-600 (Carreira et al. 2018).</summary>
    public static DatasetPreset Kinetics600 { get; } = new(
        "kinetics600", "Kinetics-600",
        [new("train", 383_393), new("val", 27_910)],
        "SPEC §2 (mmaction2's copy); Carreira et al. 2018, 'A Short Note about Kinetics-600', arXiv:1808.01340",
        new(10, 0, "Carreira et al. 2018: the same 10 s clip protocol as Kinetics-400; spread not published, assumed 0"),
        new(30, null, YouTubeFps),
        1280, 720, Wide, null);

    /// <summary>Kinetics-700 (Carreira et al. 2019).</summary>
    public static DatasetPreset Kinetics700 { get; } = new(
        "kinetics700", "Kinetics-700",
        [new("train", 542_357), new("val", 34_824)],
        "SPEC §2 (mmaction2's copy); Carreira et al. 2019, 'A Short Note on the Kinetics-700 Human Action Dataset', arXiv:1907.06987",
        new(10, 0, "Carreira et al. 2019: the same 10 s clip protocol as Kinetics-400; spread not published, assumed 0"),
        new(30, null, YouTubeFps),
        1280, 720, Wide, null);

    /// <summary>ActivityNet v1.3 (Caba Heilbron et al. 2015; v1.3 release of 2016).</summary>
    public static DatasetPreset ActivityNet { get; } = new(
        "activitynet", "ActivityNet v1.3",
        [new("train", 10_024), new("val", 4_926), new("test", 5_044)],
        "ActivityNet v1.3 release (activity-net.org, 19,994 videos, 200 classes), SPEC §2 (≈ 10k / 5k / 5k); Caba Heilbron et al. 2015, 'ActivityNet: A Large-Scale Video Benchmark for Human Activity Understanding', CVPR",
        new(648.0 * 3600 / 19_994, null, "ActivityNet v1.3 release: 648 hours of video over 19,994 videos (= 116.7 s mean); spread not published (untrimmed, from under a minute to several minutes)"),
        new(30, null, YouTubeFps),
        1280, 720, Wide, null);

    /// <summary>UCF101 (Soomro et al. 2012).</summary>
    public static DatasetPreset Ucf101 { get; } = new(
        "ucf101", "UCF101 (split 1)",
        [new("train", 9_537), new("test", 3_783)],
        "Soomro et al. 2012, 'UCF101: A Dataset of 101 Human Actions Classes From Videos in The Wild', arXiv:1212.0402 (13,320 clips; official split 1 lists)",
        new(7.21, null, "Soomro et al. 2012, Table 1: mean clip length 7.21 s (min 1.06 s, max 71.04 s); standard deviation not published"),
        new(25, 0, "Soomro et al. 2012, Table 1: frame rate 25 fps"),
        320, 240, "Soomro et al. 2012, Table 1: resolution 320×240", null);

    /// <summary>HMDB51 (Kuehne et al. 2011).</summary>
    public static DatasetPreset Hmdb51 { get; } = new(
        "hmdb51", "HMDB51 (split 1)",
        [new("train", 3_570), new("test", 1_530)],
        "Kuehne et al. 2011, 'HMDB: A Large Video Database for Human Motion Recognition', ICCV: 70 training and 30 test clips per class × 51 classes in each split (the other clips of the 6,766 distributed are unused)",
        new(3, null, "assumed: the paper states only a minimum of 1 s per clip; 3 s is a guess for short trimmed actions: measure with 'toolkit estimate PATH --sample N'"),
        new(30, 0, "Kuehne et al. 2011: clips normalized to 30 fps"),
        320, 240, "Kuehne et al. 2011: clips scaled to a height of 240 px; width assumed 320 (4:3, not published per clip)", null);

    /// <summary>Something-Something v2 (Goyal et al. 2017).</summary>
    public static DatasetPreset Ssv2 { get; } = new(
        "ssv2", "Something-Something v2",
        [new("train", 168_913), new("val", 24_777), new("test", 27_157)],
        "Goyal et al. 2017, 'The \"something something\" video database for learning and evaluating visual common sense', ICCV; v2 release (220,847 videos, 174 classes)",
        new(4, 1, "assumed from Goyal et al. 2017, who state clips of 2 to 6 s: mean 4 s, spread (6 − 2) / 4 = 1 s (range / 4 rule)"),
        new(12, 0, "v2 release notes: WebM at 12 fps"),
        427, 240, "v2 release: height 240 px, width varies; 427 (16:9) assumed", null);

    /// <summary>Every preset, in display order.</summary>
    public static IReadOnlyList<DatasetPreset> All { get; } = [Kinetics400, Kinetics600, Kinetics700, ActivityNet, Ucf101, Hmdb51, Ssv2];

    /// <summary>Finds a preset by name (case-insensitive), or null.</summary>
    public static DatasetPreset? Find(string name) =>
        All.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>Finds a preset by name or throws a <see cref="ToolkitError"/> listing the known ones.</summary>
    public static DatasetPreset Get(string name) =>
        Find(name) ?? throw new ToolkitError(name, "unknown preset and no such folder or list file",
            $"Use one of {string.Join(", ", All.Select(p => p.Name))}, or a folder / list file of videos");
}
