using System.Globalization;
using Toolkit.Augment.Pipeline;
using Toolkit.Core;

namespace Toolkit.Trainers.Hosting.Testing;

/// <summary>The spatial views of each clip (mmaction2's test-time crops).</summary>
public enum TestCrops
{
    /// <summary>One centre crop (<c>CenterCrop</c>).</summary>
    Center = 1,

    /// <summary>Three crops along the long side (<c>ThreeCrop</c>), the usual protocol of 3-D CNNs and transformers.</summary>
    Three = 3,

    /// <summary>Four corners and the centre, and their mirror images (<c>TenCrop</c>), TSN's protocol.</summary>
    Ten = 10,
}

/// <summary>How the views of a video are combined (mmaction2's <c>average_clips</c>).</summary>
public enum ScoreAveraging
{
    /// <summary>Softmax of each view, then the mean (mmaction2's <c>'prob'</c>, its default): scores are probabilities.</summary>
    Prob,

    /// <summary>The mean of the views' logits (mmaction2's <c>'score'</c>): scores are averaged logits.</summary>
    Score,
}

/// <summary>
/// The <c>test</c> section of a run config: what <c>toolkit test</c> evaluates and with which views. Every key is
/// optional; unset (0, null or empty) keys take the run's validation settings, so a config that trains also tests.
/// </summary>
public sealed record TestConfig
{
    /// <summary>Test list (as <c>toolkit lists</c> writes it); null: <c>data.val</c>.</summary>
    public string? List { get; init; }

    /// <summary>Temporal clips per video (mmaction2's <c>num_clips</c>, e.g. 10); 0: <c>data.val_clips</c>.</summary>
    public int Clips { get; init; }

    /// <summary><c>center</c>, <c>three</c> or <c>ten</c>; empty: <c>data.val_recipe</c> (center or three).</summary>
    public string Crops { get; init; } = "";

    /// <summary>Crop side; 0: <c>data.crop</c>.</summary>
    public int Crop { get; init; }

    /// <summary>Short side the frames are resized to before cropping (<c>Resize(-1, scale)</c>); 0: 256 × crop / 224, rounded (256 for a 224 crop).</summary>
    public int Scale { get; init; }

    /// <summary>Frames per clip; 0: <c>data.clip_len</c>.</summary>
    public int ClipLen { get; init; }

    /// <summary>Frame interval; 0: <c>data.frame_interval</c>.</summary>
    public int FrameInterval { get; init; }

    /// <summary>
    /// TSN-style testing: this many segments over the whole video, one frame from the middle of each, each its own view
    /// (clip length 1, <see cref="Clips"/> unused); 0: off (clips of <see cref="ClipLen"/> frames).
    /// </summary>
    public int Segments { get; init; }

    /// <summary><c>prob</c> (default, as mmaction2) or <c>score</c>.</summary>
    public string Average { get; init; } = "prob";

    /// <summary>Videos whose views are decoded and scored together; 0: <c>data.batch</c>.</summary>
    public int Batch { get; init; }

    /// <summary>
    /// Most clips in one forward pass (a batch's views are split into passes of this many); 0: all of them on a GPU, and
    /// on a CPU as many as fit 8 MiB of input (see <see cref="TestProtocol.ClipsPerForwardOn"/>).
    /// </summary>
    public int ClipsPerForward { get; init; }

    /// <summary>This section with every unset key taken from <paramref name="data"/>.</summary>
    /// <exception cref="ToolkitError">A value out of range (names the key).</exception>
    public TestProtocol Resolve(DataConfig data, string source = "test")
    {
        ArgumentNullException.ThrowIfNull(data);
        Validate(source, data);
        int crop = Crop > 0 ? Crop : data.Crop;
        return new TestProtocol
        {
            Clips = Segments > 0 ? Segments : Clips > 0 ? Clips : data.ValClips,
            Crops = ParseCrops(Crops.Length > 0 ? Crops : data.ValRecipe == "three" ? "three" : "center"),
            Crop = crop,
            Scale = Scale > 0 ? Scale : DefaultScale(crop),
            ClipLen = Segments > 0 ? 1 : ClipLen > 0 ? ClipLen : data.ClipLen,
            FrameInterval = Segments > 0 ? 1 : FrameInterval > 0 ? FrameInterval : data.FrameInterval,
            Segments = Segments > 0,
            Average = Average == "score" ? ScoreAveraging.Score : ScoreAveraging.Prob,
            Batch = Batch > 0 ? Batch : data.Batch,
            ClipsPerForward = ClipsPerForward,
        };
    }

    /// <summary>The short side mmaction2's test pipelines resize to for crop <paramref name="crop"/>: 256 for 224, scaled alike.</summary>
    public static int DefaultScale(int crop) => (int)Math.Round(crop * 256.0 / 224, MidpointRounding.ToEven);

    internal void Validate(string source, DataConfig data)
    {
        Range(source, "test.clips", Clips, 0, 100);
        Range(source, "test.crop", Crop, 0, 1024);
        if (Crop is > 0 and < 8)
            throw new ToolkitError(source, $"test.crop is {Crop}", "use 8..1024, or 0 for data.crop");
        Range(source, "test.scale", Scale, 0, 4096);
        Range(source, "test.clip_len", ClipLen, 0, 1024);
        Range(source, "test.frame_interval", FrameInterval, 0, 64);
        Range(source, "test.segments", Segments, 0, 256);
        Range(source, "test.batch", Batch, 0, 4096);
        Range(source, "test.clips_per_forward", ClipsPerForward, 0, 65536);
        if (Crops.Length > 0 && Crops is not ("center" or "three" or "ten"))
            throw new ToolkitError(source, $"test.crops '{Crops}' is not center, three or ten");
        if (Average is not ("prob" or "score"))
            throw new ToolkitError(source, $"test.average '{Average}' is not prob or score", "prob averages the views' softmax (mmaction2's default), score their logits");
        int crop = Crop > 0 ? Crop : data.Crop;
        if (Scale > 0 && Scale < crop)
            throw new ToolkitError(source, string.Create(CultureInfo.InvariantCulture, $"test.scale {Scale} is below the test crop {crop}: a {crop}-pixel crop does not fit a {Scale}-pixel short side"),
                "set test.scale to the crop or more (256 for a 224 crop, as mmaction2), or 0 for that default");
        if (Segments > 0 && (Clips > 0 || ClipLen > 0))
            throw new ToolkitError(source, "test.segments is set with test.clips or test.clip_len", "TSN-style segments take one frame per segment as a view: leave clips and clip_len out, or set segments to 0");
    }

    private static TestCrops ParseCrops(string crops) => crops switch
    {
        "three" => TestCrops.Three,
        "ten" => TestCrops.Ten,
        _ => TestCrops.Center,
    };

    private static void Range(string source, string key, int value, int min, int max)
    {
        if (value < min || value > max)
            throw new ToolkitError(source, string.Create(CultureInfo.InvariantCulture, $"{key} is {value}"), string.Create(CultureInfo.InvariantCulture, $"use {min}..{max} ({min} takes the data section's value)"));
    }
}

/// <summary>A resolved test protocol: every view of every video is <see cref="Clips"/> × <see cref="Crops"/>.</summary>
public sealed record TestProtocol
{
    /// <summary>Temporal views per video (clips, or TSN segments).</summary>
    public int Clips { get; init; } = 1;

    /// <summary>Spatial views per clip.</summary>
    public TestCrops Crops { get; init; } = TestCrops.Center;

    /// <summary>Crop side.</summary>
    public int Crop { get; init; } = 224;

    /// <summary>Short side before cropping.</summary>
    public int Scale { get; init; } = 256;

    /// <summary>Frames per view.</summary>
    public int ClipLen { get; init; } = 8;

    /// <summary>Frame interval within a clip.</summary>
    public int FrameInterval { get; init; } = 8;

    /// <summary>TSN segments (one middle frame of each of <see cref="Clips"/> segments) instead of clips.</summary>
    public bool Segments { get; init; }

    /// <summary>How views are combined.</summary>
    public ScoreAveraging Average { get; init; } = ScoreAveraging.Prob;

    /// <summary>Videos whose views are decoded and scored together.</summary>
    public int Batch { get; init; } = 8;

    /// <summary>Most clips per forward pass; 0: automatic (<see cref="ClipsPerForwardOn"/>).</summary>
    public int ClipsPerForward { get; init; }

    /// <summary>Input bytes of one forward pass on a CPU when <see cref="ClipsPerForward"/> is automatic.</summary>
    public const long CpuForwardBytes = 8L << 20;

    /// <summary>
    /// Clips per forward pass on <paramref name="device"/>: <see cref="ClipsPerForward"/> when set; else every view of a
    /// batch on a GPU, and on a CPU as many clips as fit <see cref="CpuForwardBytes"/> of float32 input (at least 1).
    /// Why: on a CPU, activations of more than 32 MB each are mapped and unmapped by glibc on every allocation, so one
    /// large pass is slower than several small ones (mmaction2's X3D-M at 16 × 256²: 2.4 clips/s one at a time, 0.7
    /// in passes of 30; BENCHMARKS.md).
    /// </summary>
    public int ClipsPerForwardOn(TorchSharp.DeviceType device)
    {
        if (ClipsPerForward > 0)
            return ClipsPerForward;
        if (device != TorchSharp.DeviceType.CPU)
            return Batch * ViewsPerVideo;
        long clip = 3L * ClipLen * Crop * Crop * sizeof(float);
        return (int)Math.Clamp(CpuForwardBytes / clip, 1, Batch * ViewsPerVideo);
    }

    /// <summary>Views per video.</summary>
    public int ViewsPerVideo => Clips * (int)Crops;

    /// <summary>The augmentation of one clip: <c>Resize(-1, scale)</c>, then the crops.</summary>
    public ClipPipeline Pipeline() => Crops switch
    {
        TestCrops.Three => ClipPipeline.Build(x => x.Resize(-1, Scale).ThreeCrop(Crop), Name),
        TestCrops.Ten => ClipPipeline.Build(x => x.Resize(-1, Scale).TenCrop(Crop), Name),
        _ => ClipPipeline.Build(x => x.Resize(-1, Scale).CenterCrop(Crop), Name),
    };

    private string Name => string.Create(CultureInfo.InvariantCulture, $"test-{Crops.ToString().ToLowerInvariant()}{Crop}@{Scale}");

    /// <summary>One line: <c>10 clips × 3 crops (ThreeCrop 256 after Resize(-1, 256)), 8 × 8 frames, prob averaging</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Clips} {(Segments ? "segments" : "clips")} × {(int)Crops} crop{((int)Crops > 1 ? "s" : "")} ({Crops switch { TestCrops.Three => "ThreeCrop", TestCrops.Ten => "TenCrop", _ => "CenterCrop" }} {Crop} after Resize(-1, {Scale})), {(Segments ? "1 frame per segment" : $"{ClipLen} frames every {FrameInterval}")}, {Average.ToString().ToLowerInvariant()} averaging");
}
