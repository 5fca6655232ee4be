using System.Text.Json;
using System.Text.Json.Serialization;
using Toolkit.Core;
using Toolkit.Core.Json;

namespace Toolkit.Trainers.Hosting;

/// <summary>
/// A training run, as <c>configs/*.json</c> writes it (snake_case keys). Paths are relative to the current directory.
/// The <see cref="Trainer"/> section belongs to the plugin and is checked by it.
/// </summary>
public sealed record TrainingConfig
{
    /// <summary>Plugin name (<c>video-classifier</c>); <c>--plugin</c> overrides it.</summary>
    public string? Plugin { get; init; }

    /// <summary>Run seed: shuffling, augmentation, mixup, initialization.</summary>
    public long Seed { get; init; }

    /// <summary><c>auto</c> (CUDA when present), <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c>.</summary>
    public string Device { get; init; } = "auto";

    /// <summary>Epochs of a fixed schedule (a multigrid schedule computes its own).</summary>
    public int Epochs { get; init; } = 1;

    /// <summary>The data side.</summary>
    public DataConfig Data { get; init; } = new();

    /// <summary>The plugin's options (its schema: <c>toolkit plugins --json</c>).</summary>
    public JsonElement Trainer { get; init; }

    /// <summary>How <c>toolkit test</c> evaluates a checkpoint (list, views, averaging); every key defaults from <see cref="Data"/>.</summary>
    public Testing.TestConfig Test { get; init; } = new();

    /// <summary>Reads and checks a config file; every problem names the file, line and column, and the key.</summary>
    /// <exception cref="ToolkitError">Missing file, bad JSON, unknown key, wrong type, or a value out of range.</exception>
    public static TrainingConfig Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
            throw new ToolkitError(path, Directory.Exists(path) ? "is a folder, not a config file" : "config file not found", "pass --config FILE (see configs/demo.json)");
        var (config, source) = JsonConfig.Read<TrainingConfig>(path, Json, "see configs/demo.json and docs/train.md for the keys and their types");
        try
        {
            return (config with { Source = source }).Validated(path);
        }
        catch (ToolkitError e) when (e.Subject == path && source.Where(e.Reason) is { } at)
        {
            throw new ToolkitError($"{path}:{at}", e.Reason, e.Hint);
        }
    }

    /// <summary>The file this config was read from, to cite later problems (the plugin's) at their keys; null when built in code.</summary>
    [JsonIgnore]
    public JsonSourceText? Source { get; init; }

    /// <summary>The most epochs a run may have: far above any published schedule, low enough that a typo (1e8) is caught.</summary>
    public const int MaxEpochs = Toolkit.Loaders.Multigrid.MultigridOptions.MaxEpochs;

    /// <summary>Throws <see cref="ToolkitError"/> naming <paramref name="source"/> and the bad key.</summary>
    public TrainingConfig Validated(string source)
    {
        if (Epochs < 1 && Data.Multigrid is null)
            throw new ToolkitError(source, $"epochs is {Epochs}", "train for 1 or more epochs");
        if (Epochs > MaxEpochs)
            throw new ToolkitError(source, $"epochs is {Epochs}", $"use at most {MaxEpochs} (published schedules train 30 to 256 epochs)");
        if (Device is not ("auto" or "cpu" or "cuda") && !Device.StartsWith("cuda:", StringComparison.Ordinal))
            throw new ToolkitError(source, $"device '{Device}' is not auto, cpu, cuda or cuda:N");
        Data.Validate(source);
        Test.Validate(source, Data);
        return this;
    }

    /// <summary>snake_case, comments and trailing commas allowed, unknown and repeated keys refused.</summary>
    public static JsonSerializerOptions Json { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        AllowDuplicateProperties = false, // a key written twice is a mistake, not "the last one wins"
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };
}

/// <summary>Rawframes or videos.</summary>
public enum DataKind
{
    /// <summary>Rawframe folders (<c>toolkit extract</c> output) and a rawframe list.</summary>
    Rawframes,

    /// <summary>Video files and a video list.</summary>
    Videos,
}

/// <summary>The data section of a <see cref="TrainingConfig"/>.</summary>
public sealed record DataConfig
{
    /// <summary>Rawframes (default) or videos.</summary>
    public DataKind Kind { get; init; } = DataKind.Rawframes;

    /// <summary>Folder the list paths are relative to.</summary>
    public string Root { get; init; } = "";

    /// <summary>Training list (mmaction2 format, as <c>toolkit lists</c> writes).</summary>
    public string Train { get; init; } = "";

    /// <summary>Validation list; null: no validation.</summary>
    public string? Val { get; init; }

    /// <summary>Label map (one class name per line); sets <see cref="Classes"/> when that is 0.</summary>
    public string? LabelMap { get; init; }

    /// <summary>Classes (0: the label map's line count).</summary>
    public int Classes { get; init; }

    /// <summary>First frame number of rawframes: 1 (toolkit extract, mmaction2) or 0 (denseflow).</summary>
    public int StartIndex { get; init; } = 1;

    /// <summary>Frames per clip (T).</summary>
    public int ClipLen { get; init; } = 8;

    /// <summary>Frame interval.</summary>
    public int FrameInterval { get; init; } = 8;

    /// <summary>Crop side (S).</summary>
    public int Crop { get; init; } = 224;

    /// <summary>Clips per batch (per process).</summary>
    public int Batch { get; init; } = 8;

    /// <summary>Training augmentation: rrc, rescale (scaled to the crop).</summary>
    public string Recipe { get; init; } = "rrc";

    /// <summary>Validation views: center or three (crops), times <see cref="ValClips"/> clips.</summary>
    public string ValRecipe { get; init; } = "center";

    /// <summary>Temporal clips per validation video.</summary>
    public int ValClips { get; init; } = 1;

    /// <summary>Loader workers.</summary>
    public int Workers { get; init; } = 2;

    /// <summary>
    /// How rawframe JPEGs may be decoded below full size when the recipe first shrinks them (docs/loaders.md): exact
    /// (default: an exact half only, within 45 dB of full-size decoding), covering (the smallest of 1/8, 1/4, 1/2 that
    /// covers the recipe's short side: faster for multigrid's small shapes) or off (full size, bit-exact).
    /// </summary>
    public string JpegScaling { get; init; } = "exact";

    /// <summary>Mixup α (0: off).</summary>
    public double Mixup { get; init; }

    /// <summary>CutMix α (0: off).</summary>
    public double Cutmix { get; init; }

    /// <summary>Label smoothing ε of the soft targets (with mixup/cutmix, or alone).</summary>
    public double LabelSmoothing { get; init; }

    /// <summary>Multigrid (long and/or short cycle); null: fixed shapes.</summary>
    public MultigridConfig? Multigrid { get; init; }

    internal void Validate(string source)
    {
        if (string.IsNullOrEmpty(Train))
            throw new ToolkitError(source, "data.train is missing", "point it at a rawframe list from toolkit lists");
        if (Classes < 0)
            throw new ToolkitError(source, $"data.classes is {Classes}", "use 1 or more, or 0 with data.label_map");
        if (Classes == 0 && LabelMap is null)
            throw new ToolkitError(source, "neither data.classes nor data.label_map is set", "give the class count or the label_map.txt of toolkit lists");
        Check(source, "data.clip_len", ClipLen, 1, 1024);
        Check(source, "data.frame_interval", FrameInterval, 1, 64);
        Check(source, "data.crop", Crop, 8, 1024);
        Check(source, "data.batch", Batch, 1, 4096);
        Check(source, "data.val_clips", ValClips, 1, 64);
        Check(source, "data.workers", Workers, 1, 256);
        if (Recipe is not ("rrc" or "rescale"))
            throw new ToolkitError(source, $"data.recipe '{Recipe}' is not rrc or rescale");
        if (ValRecipe is not ("center" or "three"))
            throw new ToolkitError(source, $"data.val_recipe '{ValRecipe}' is not center or three");
        if (JpegScaling is not ("exact" or "covering" or "off"))
            throw new ToolkitError(source, $"data.jpeg_scaling '{JpegScaling}' is not exact, covering or off");
        if (Mixup < 0 || Cutmix < 0)
            throw new ToolkitError(source, "data.mixup and data.cutmix must be 0 (off) or positive");
        if (LabelSmoothing is < 0 or >= 1)
            throw new ToolkitError(source, $"data.label_smoothing is {LabelSmoothing}", "use a value in [0, 1)");
        Multigrid?.Validate(source);
    }

    private static void Check(string source, string key, int value, int min, int max)
    {
        if (value < min || value > max)
            throw new ToolkitError(source, $"{key} is {value}", $"use {min}..{max}");
    }
}

/// <summary>Multigrid settings (SPEC §4); shapes are derived from data.batch / clip_len / crop as the base shape.</summary>
public sealed record MultigridConfig
{
    /// <summary>Long cycle on.</summary>
    public bool LongCycle { get; init; } = true;

    /// <summary>Short cycle on.</summary>
    public bool ShortCycle { get; init; } = true;

    /// <summary>Base LR steps (epochs), starting with 0.</summary>
    public IReadOnlyList<int> Steps { get; init; } = [0];

    /// <summary>Epochs of the base schedule (before the multigrid rescaling).</summary>
    public int MaxEpoch { get; init; } = 1;

    /// <summary>LR decay per step.</summary>
    public double Gamma { get; init; } = 0.1;

    /// <summary>BatchNorm base size (per-GPU batch / this = sub-batch-norm splits).</summary>
    public int BnBaseSize { get; init; } = 8;

    internal void Validate(string source)
    {
        if (!LongCycle && !ShortCycle)
            throw new ToolkitError(source, "data.multigrid has both cycles off", "turn one on or remove the section");
        if (MaxEpoch is < 1 or > TrainingConfig.MaxEpochs)
            throw new ToolkitError(source, $"data.multigrid.max_epoch is {MaxEpoch}", $"use 1..{TrainingConfig.MaxEpochs}");
        if (BnBaseSize < 1)
            throw new ToolkitError(source, $"data.multigrid.bn_base_size is {BnBaseSize}", "use 1 or more");
    }
}
