using System.Text.Json;
using System.Text.Json.Serialization;

namespace Toolkit.Trainers.VideoClassifier;

/// <summary>
/// The <c>trainer</c> section of a run config for <c>video-classifier</c> (snake_case keys; every key optional except
/// <see cref="Model"/>). Preset values (<see cref="Optimizer"/>) are the defaults the other keys override.
/// </summary>
public sealed record VideoClassifierOptions
{
    /// <summary>Architecture: i3d-r50, slowonly-r50, x3d-m, slowfast-r50, mvit-b, deit-ti, deit-s, deit-b (toolkit models).</summary>
    public string Model { get; init; } = "";

    /// <summary>Channel multiplier (1 = published size; 0.125 trains on a CPU).</summary>
    public double Width { get; init; } = 1.0;

    /// <summary>Depth multiplier (1 = published).</summary>
    public double Depth { get; init; } = 1.0;

    /// <summary>i3d-r50 only: temporal stride of the stem convolution and max pool (null = 2, mmaction2; 1 = pytorchvideo's i3d_r50).</summary>
    public int? StemTemporalStride { get; init; }

    /// <summary>Dropout before the classifier.</summary>
    public double Dropout { get; init; } = 0.5;

    /// <summary>Transformers: <c>layer</c> (LayerNorm, default) or <c>batch</c> (BatchNorm, with ReLU6 and weight normalization unless set otherwise).</summary>
    public string Norm { get; init; } = "layer";

    /// <summary>Transformers: <c>gelu</c> or <c>relu6</c>; null = the norm's default (GELU with LayerNorm, ReLU6 with BatchNorm).</summary>
    public string? Activation { get; init; }

    /// <summary>Transformers: weight-normalized linear layers; null = on with BatchNorm, off with LayerNorm.</summary>
    public bool? WeightNorm { get; init; }

    /// <summary>Transformers: Pre-LN (true, default) or Post-LN (false; needs warm-up).</summary>
    public bool PreNorm { get; init; } = true;

    /// <summary>
    /// Pretrained weights to start from: a PyTorch / safetensors file from a model zoo, a toolkit weights folder
    /// (<c>toolkit weights import --out</c>) or a training checkpoint. The classifier is re-initialised when its class
    /// count differs from the data's. Ignored when the work dir already has a checkpoint (resume wins).
    /// </summary>
    public string? InitFrom { get; init; }

    /// <summary>Layout of <see cref="InitFrom"/>: auto (from its keys), mmaction2, pytorchvideo, slowfast, timm, torchvision, toolkit.</summary>
    public string InitFormat { get; init; } = "auto";

    /// <summary>Optimizer preset: adamw-30e, sgd-50e, adamw-200e.</summary>
    public string Optimizer { get; init; } = "adamw-30e";

    /// <summary>Base LR override (before linear scaling).</summary>
    public double? Lr { get; init; }

    /// <summary>Weight decay override.</summary>
    public double? WeightDecay { get; init; }

    /// <summary>Warm-up epochs override.</summary>
    public double? WarmupEpochs { get; init; }

    /// <summary>L2 max-norm of gradient clipping override; 0 turns clipping off.</summary>
    public double? ClipGrad { get; init; }

    /// <summary>Scale the LR by batch / the preset's reference batch (linear scaling rule).</summary>
    public bool LinearScaling { get; init; } = true;

    /// <summary>LR multiplier of the backbone's parameters (0.1 for a pretrained backbone).</summary>
    public double BackboneLrMultiplier { get; init; } = 1.0;

    /// <summary>Label smoothing ε with hard labels (soft targets from the data side carry their own).</summary>
    public double LabelSmoothing { get; init; }

    /// <summary>Evaluate every N epochs (and after the last one).</summary>
    public int EvalEvery { get; init; } = 1;

    /// <summary>Checkpoint every N epochs (and after the last one).</summary>
    public int CheckpointEvery { get; init; } = 1;

    /// <summary>Checkpoints kept (the newest ones).</summary>
    public int KeepCheckpoints { get; init; } = 3;

    /// <summary>Recompute BatchNorm statistics over up to this many training batches before each evaluation (precise BN; 0 = off).</summary>
    public int PreciseBnBatches { get; init; }

    /// <summary>Reads the section; a problem list instead of an exception (see <see cref="Problems"/>).</summary>
    public static (VideoClassifierOptions? Options, IReadOnlyList<string> Problems) Parse(JsonElement section)
    {
        if (section.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
            return (null, ["the trainer section is missing (it needs at least \"model\")"]);
        if (section.ValueKind != JsonValueKind.Object)
            return (null, [$"the trainer section is a {section.ValueKind}, not an object"]);
        VideoClassifierOptions? options;
        try
        {
            options = section.Deserialize<VideoClassifierOptions>(Json);
        }
        catch (JsonException e)
        {
            return (null, [Toolkit.Core.Json.JsonConfig.Explain(e, typeof(VideoClassifierOptions), Json, section, "trainer").Message]);
        }
        if (options is null)
            return (null, ["the trainer section is null"]);
        var problems = options.Problems();
        return (problems.Count == 0 ? options : null, problems);
    }

    /// <summary>Every problem with the values, one line each (empty when valid).</summary>
    public IReadOnlyList<string> Problems()
    {
        var p = new List<string>();
        if (string.IsNullOrWhiteSpace(Model))
            p.Add("trainer.model is missing (toolkit models lists the architectures)");
        else if (!Toolkit.Trainers.Models.ModelZoo.All.Any(e => string.Equals(e.Name, Model, StringComparison.OrdinalIgnoreCase)))
            p.Add($"trainer.model '{Model}' is unknown (known: {string.Join(", ", Toolkit.Trainers.Models.ModelZoo.All.Select(e => e.Name))})");
        if (!(Width > 0 && Width <= 4))
            p.Add($"trainer.width is {Width}; use (0, 4]");
        if (!(Depth > 0 && Depth <= 4))
            p.Add($"trainer.depth is {Depth}; use (0, 4]");
        if (StemTemporalStride is not (null or 1 or 2))
            p.Add($"trainer.stem_temporal_stride is {StemTemporalStride}; use 1 or 2");
        else if (StemTemporalStride is not null && !string.Equals(Model, "i3d-r50", StringComparison.OrdinalIgnoreCase))
            p.Add($"trainer.stem_temporal_stride is an option of i3d-r50 only, not of {Model}");
        if (!(Dropout >= 0 && Dropout < 1))
            p.Add($"trainer.dropout is {Dropout}; use [0, 1)");
        if (Norm is not ("layer" or "batch"))
            p.Add($"trainer.norm '{Norm}' is not layer or batch");
        if (Activation is not (null or "gelu" or "relu6"))
            p.Add($"trainer.activation '{Activation}' is not gelu or relu6");
        if (InitFrom is { } init && !File.Exists(init) && !Directory.Exists(init))
            p.Add($"trainer.init_from '{init}' does not exist");
        if (Toolkit.Trainers.Weights.WeightSources.Parse(InitFormat) is null)
            p.Add($"trainer.init_format '{InitFormat}' is not auto, mmaction2, pytorchvideo, slowfast, timm, torchvision or toolkit");
        if (Lr is <= 0)
            p.Add($"trainer.lr is {Lr}; use a positive value");
        if (WeightDecay is < 0)
            p.Add($"trainer.weight_decay is {WeightDecay}; use 0 or more");
        if (WarmupEpochs is < 0)
            p.Add($"trainer.warmup_epochs is {WarmupEpochs}; use 0 or more");
        if (ClipGrad is < 0)
            p.Add($"trainer.clip_grad is {ClipGrad}; use 0 (off) or more");
        if (!(BackboneLrMultiplier >= 0 && BackboneLrMultiplier <= 10))
            p.Add($"trainer.backbone_lr_multiplier is {BackboneLrMultiplier}; use [0, 10]");
        if (!(LabelSmoothing >= 0 && LabelSmoothing < 1))
            p.Add($"trainer.label_smoothing is {LabelSmoothing}; use [0, 1)");
        if (EvalEvery < 1)
            p.Add($"trainer.eval_every is {EvalEvery}; use 1 or more");
        if (CheckpointEvery < 1)
            p.Add($"trainer.checkpoint_every is {CheckpointEvery}; use 1 or more");
        if (KeepCheckpoints < 1)
            p.Add($"trainer.keep_checkpoints is {KeepCheckpoints}; keep at least 1");
        if (PreciseBnBatches is < 0 or > 10000)
            p.Add($"trainer.precise_bn_batches is {PreciseBnBatches}; use 0 (off) to 10000");
        return p;
    }

    internal static JsonSerializerOptions Json { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>The JSON Schema of this section (draft 2020-12), for <c>toolkit plugins --json</c>.</summary>
    public const string Schema = """
    {
      "$schema": "https://json-schema.org/draft/2020-12/schema",
      "title": "video-classifier trainer options",
      "type": "object",
      "additionalProperties": false,
      "required": ["model"],
      "properties": {
        "model": {"enum": ["i3d-r50", "slowonly-r50", "x3d-m", "slowfast-r50", "mvit-b", "deit-ti", "deit-s", "deit-b"]},
        "width": {"type": "number", "exclusiveMinimum": 0, "maximum": 4, "default": 1},
        "depth": {"type": "number", "exclusiveMinimum": 0, "maximum": 4, "default": 1},
        "stem_temporal_stride": {"enum": [1, 2, null], "default": null},
        "dropout": {"type": "number", "minimum": 0, "exclusiveMaximum": 1, "default": 0.5},
        "norm": {"enum": ["layer", "batch"], "default": "layer"},
        "activation": {"enum": ["gelu", "relu6", null], "default": null},
        "weight_norm": {"type": ["boolean", "null"], "default": null},
        "pre_norm": {"type": "boolean", "default": true},
        "init_from": {"type": ["string", "null"], "default": null},
        "init_format": {"enum": ["auto", "mmaction2", "pytorchvideo", "slowfast", "timm", "torchvision", "toolkit"], "default": "auto"},
        "optimizer": {"enum": ["adamw-30e", "sgd-50e", "adamw-200e"], "default": "adamw-30e"},
        "lr": {"type": ["number", "null"], "exclusiveMinimum": 0},
        "weight_decay": {"type": ["number", "null"], "minimum": 0},
        "warmup_epochs": {"type": ["number", "null"], "minimum": 0},
        "clip_grad": {"type": ["number", "null"], "minimum": 0},
        "linear_scaling": {"type": "boolean", "default": true},
        "backbone_lr_multiplier": {"type": "number", "minimum": 0, "maximum": 10, "default": 1},
        "label_smoothing": {"type": "number", "minimum": 0, "exclusiveMaximum": 1, "default": 0},
        "eval_every": {"type": "integer", "minimum": 1, "default": 1},
        "checkpoint_every": {"type": "integer", "minimum": 1, "default": 1},
        "keep_checkpoints": {"type": "integer", "minimum": 1, "default": 3},
        "precise_bn_batches": {"type": "integer", "minimum": 0, "maximum": 10000, "default": 0}
      }
    }
    """;
}
