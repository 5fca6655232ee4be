using System.Text.Json;
using System.Text.Json.Nodes;
using OpenCvSharp;
using Toolkit.Augment.Color;
using Toolkit.Augment.Geometry;
using Toolkit.Augment.IO;
using Toolkit.Augment.Pipeline;
using Toolkit.Augment.Preview;
using Toolkit.Augment.Sampling;
using Toolkit.Augment.Tensors.Batch;
using Toolkit.Augment.Tensors.Clips;
using Toolkit.Core;
using static TorchSharp.torch;

namespace Toolkit.Augment.Tensors.Preview;

/// <summary>Batch mixing to preview.</summary>
public enum PreviewMix
{
    /// <summary>No batch transform.</summary>
    None,

    /// <summary>Mixup.</summary>
    Mixup,

    /// <summary>CutMix.</summary>
    CutMix,
}

/// <summary>What <c>toolkit preview</c> renders.</summary>
public sealed record PreviewOptions
{
    /// <summary>A video file or a rawframe folder.</summary>
    public required string Input { get; init; }

    /// <summary>A recipe name (<see cref="Recipes.Names"/>) or a JSON recipe file.</summary>
    public string Recipe { get; init; } = "rrc";

    /// <summary>Clips to sample (clip mode).</summary>
    public int Clips { get; init; } = 8;

    /// <summary>Frames per clip.</summary>
    public int Frames { get; init; } = 4;

    /// <summary>Run seed: clip i uses <see cref="ClipSeed.For"/>(seed, 0, i); the batch generator uses the seed itself.</summary>
    public int Seed { get; init; }

    /// <summary>Flow clips (flow_x_/flow_y_ of a rawframe folder) instead of RGB.</summary>
    public bool Flow { get; init; }

    /// <summary>Contact sheet PNG path.</summary>
    public required string Sheet { get; init; }

    /// <summary>Parameters JSON path, or null.</summary>
    public string? Params { get; init; }

    /// <summary>Batch mixing to show.</summary>
    public PreviewMix Mix { get; init; }

    /// <summary>α of the mix, or null for the default (mixup 0.8, CutMix 1.0).</summary>
    public double? Alpha { get; init; }

    /// <summary>Clips in the batch (mix mode): consecutive temporal segments of the input.</summary>
    public int Batch { get; init; } = 4;

    /// <summary>Label smoothing of the soft targets (mix mode).</summary>
    public double LabelSmoothing { get; init; }

    /// <summary>Height of each image in the sheet.</summary>
    public int CellHeight { get; init; } = 128;
}

/// <summary>What a preview wrote.</summary>
/// <param name="Sheet">The contact sheet.</param>
/// <param name="Params">The parameters JSON, or null.</param>
/// <param name="Summary">One line per clip or sample, for the console.</param>
public sealed record PreviewResult(string Sheet, string? Params, IReadOnlyList<string> Summary);

/// <summary>
/// Renders what augmentation does to one input: a contact sheet (the original frame with the crop box drawn, then the
/// augmented frames, one row per clip; or, with a mix, each clip before and after mixing with λ and the box) and the
/// sampled parameters as JSON, the crop boxes in pixels of the original frame.
/// </summary>
public static class PreviewRunner
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The most clips (rows) one sheet shows.</summary>
    public const int MaxClips = 256;

    /// <summary>The most frames (columns) per clip.</summary>
    public const int MaxFrames = 64;

    /// <summary>Validates the options, renders, and writes the files. Throws <see cref="ToolkitError"/> on bad options or input.</summary>
    public static PreviewResult Run(PreviewOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        // A contact sheet is for looking at: a row per clip, a column per frame. Past these it is neither readable nor
        // small (a million clips grew at 500 MB/s).
        if (options.Clips is < 1 or > MaxClips)
            throw new ToolkitError("PreviewOptions.Clips", $"must be in [1, {MaxClips}], got {options.Clips}", "a contact sheet has one row per clip; preview a few (the params file lists the sampled parameters)");
        if (options.Frames is < 1 or > MaxFrames)
            throw new ToolkitError("PreviewOptions.Frames", $"must be in [1, {MaxFrames}], got {options.Frames}", "the sheet has one column per frame");
        if (options.Mix != PreviewMix.None && options.Batch is < 2 or > MaxClips)
            throw new ToolkitError("PreviewOptions.Batch", $"must be in [2, {MaxClips}] (a clip is mixed with another), got {options.Batch}");
        if (options.Mix != PreviewMix.None && (long)options.Frames * options.Batch > MaxFrames * 8)
            throw new ToolkitError("PreviewOptions.Frames", $"{options.Frames} frames × a batch of {options.Batch} clips read {options.Frames * (long)options.Batch} frames, over {MaxFrames * 8}", "lower the frames or the batch");
        if (options.Alpha is { } a && !(a > 0))
            throw new ToolkitError("PreviewOptions.Alpha", $"must be positive, got {a}");
        if (options.CellHeight is < 16 or > 2048)
            throw new ToolkitError("PreviewOptions.CellHeight", $"must be in [16, 2048], got {options.CellHeight}");
        if (!options.Sheet.EndsWith(".png", StringComparison.OrdinalIgnoreCase))
            throw new ToolkitError("--out", $"the contact sheet is a PNG file, got {options.Sheet}");
        var recipe = Recipes.Resolve(options.Recipe);
        var kind = options.Flow ? ClipKind.Flow : ClipKind.Rgb;
        int frames = options.Mix == PreviewMix.None ? options.Frames : options.Frames * options.Batch;
        using var source = ClipReader.Read(options.Input, frames, kind);
        return options.Mix == PreviewMix.None ? Clips(options, recipe, source) : Mixed(options, recipe, source);
    }

    private static PreviewResult Clips(PreviewOptions o, ClipPipeline recipe, Clip source)
    {
        var rows = new List<IReadOnlyList<Mat>>();
        var labels = new List<string>();
        var clipsJson = new JsonArray();
        var summary = new List<string>();
        using var original = Display.ToBgr(source.Frames[0], source.Kind, null);
        try
        {
            for (int i = 0; i < o.Clips; i++)
            {
                using var result = recipe.Run(source, ClipSeed.Rng(o.Seed, 0, i));
                var row = new List<Mat> { WithBoxes(original, result) };
                var norm = result.Applied.OfType<NormalizeParams>().LastOrDefault();
                for (int f = 0; f < result.FramesPerView; f++)
                    row.Add(Display.ToBgr(result.Frames[f], result.Kind, norm));
                rows.Add(row);
                var entry = ClipJson(result);
                clipsJson.Add(entry);
                var crop = result.SourceRegion;
                labels.Add($"clip {i}{(result.Map.Mirrored ? " flip" : "")}");
                summary.Add($"clip {i}: crop {crop.X:0.#},{crop.Y:0.#} {crop.W:0.#}x{crop.H:0.#} of {source.Width}x{source.Height}{(result.Map.Mirrored ? ", flipped" : "")}"
                            + (result.Applied.OfType<RandomRescaleParams>().FirstOrDefault() is { } r ? $", rescale {r.ShortSide}" : ""));
            }
            WriteSheet(o.Sheet, rows, o.CellHeight, labels);
        }
        finally
        {
            foreach (var m in rows.SelectMany(r => r))
                m.Dispose();
        }
        var doc = new JsonObject
        {
            ["source"] = new JsonObject { ["width"] = source.Width, ["height"] = source.Height, ["path"] = o.Input, ["kind"] = source.Kind.ToString().ToLowerInvariant() },
            ["recipe"] = RecipeJson(recipe),
            ["seed"] = o.Seed,
            ["clips"] = clipsJson,
        };
        WriteParams(o.Params, doc);
        return new PreviewResult(o.Sheet, o.Params, summary);
    }

    private static PreviewResult Mixed(PreviewOptions o, ClipPipeline recipe, Clip source)
    {
        int n = o.Batch, f = Math.Max(1, source.Frames.Count / n);
        if (source.Frames.Count < n)
            throw new ToolkitError(o.Input, $"has {source.Frames.Count} frames, fewer than --batch {n}");
        var clips = new List<Clip>();
        var rows = new List<IReadOnlyList<Mat>>();
        try
        {
            for (int i = 0; i < n; i++)
            {
                using var segment = new Clip(source.Frames.Skip(i * f).Take(f).Select(m => m.Clone()), source.Kind);
                var result = recipe.Run(segment, ClipSeed.Rng(o.Seed, 0, i));
                clips.Add(result);
                if (result.Views != 1)
                    throw new ToolkitError(o.Recipe, "mixing needs a single-view recipe (ThreeCrop and TenCrop make several views)");
                if (result.Width != clips[0].Width || result.Height != clips[0].Height)
                    throw new ToolkitError(o.Recipe, "the recipe gives clips of different sizes, which cannot form a batch", "end it with a fixed-size crop or Resize(W, H)");
            }
            var mixOptions = (o.Mix == PreviewMix.Mixup ? MixOptions.Mixup(n, o.Alpha ?? 0.8) : MixOptions.CutMix(n, o.Alpha ?? 1.0)) with { LabelSmoothing = o.LabelSmoothing };
            var mixer = new BatchMixer(mixOptions);
            using var scope = NewDisposeScope();
            var batch = ClipTensors.Stack(clips.Select(c => ClipTensors.FromClip(c)).ToList());
            var labels = arange(n, ScalarType.Int64);
            using var generator = new Generator((ulong)o.Seed, CPU);
            using var mixed = mixer.Mix(batch, labels, generator);
            var p = mixed.Params;
            var norm = clips[0].Applied.OfType<NormalizeParams>().LastOrDefault();
            var samples = new JsonArray();
            var summary = new List<string>();
            var texts = new List<string>();
            var targets = mixed.Targets.cpu().data<float>().ToArray();
            for (int i = 0; i < n; i++)
            {
                var row = new List<Mat> { Display.ToBgr(clips[i].Frames[0], clips[i].Kind, norm) };
                var frames = ToMats(mixed.Videos[i], toBytes: norm is null);
                foreach (var m in frames)
                {
                    using (m)
                    {
                        var shown = Display.ToBgr(m, clips[i].Kind, norm);
                        if (p.Boxes[i] is { } b && b.Area > 0)
                            Cv2.Rectangle(shown, new Rect(b.X0, b.Y0, b.X1 - b.X0, b.Y1 - b.Y0), new Scalar(0, 0, 255), 2);
                        row.Add(shown);
                    }
                }
                rows.Add(row);
                texts.Add($"clip {i} + {p.Partner[i]}  lambda {p.Lambda[i]:0.###}");
                summary.Add($"sample {i}: lambda {p.Lambda[i]:0.####} (own) + {1 - p.Lambda[i]:0.####} of clip {p.Partner[i]}"
                            + (p.Boxes[i] is { } box ? $", box x {box.X0}-{box.X1} y {box.Y0}-{box.Y1}" : ""));
                samples.Add(new JsonObject
                {
                    ["clip"] = i,
                    ["partner"] = p.Partner[i],
                    ["lambda"] = p.Lambda[i],
                    ["sampledLambda"] = p.SampledLambda[i],
                    ["cutmix"] = p.CutMix[i],
                    ["box"] = p.Boxes[i] is { } bx ? new JsonObject { ["x"] = bx.X0, ["y"] = bx.Y0, ["w"] = bx.X1 - bx.X0, ["h"] = bx.Y1 - bx.Y0 } : null,
                    ["target"] = new JsonArray(targets.Skip(i * n).Take(n).Select(v => (JsonNode)JsonValue.Create(Math.Round(v, 6))).ToArray()),
                });
            }
            WriteSheet(o.Sheet, rows, o.CellHeight, texts);
            var doc = new JsonObject
            {
                ["source"] = new JsonObject { ["width"] = source.Width, ["height"] = source.Height, ["path"] = o.Input, ["kind"] = source.Kind.ToString().ToLowerInvariant() },
                ["recipe"] = RecipeJson(recipe),
                ["seed"] = o.Seed,
                ["mix"] = new JsonObject
                {
                    ["kind"] = o.Mix == PreviewMix.Mixup ? "mixup" : "cutmix",
                    ["alpha"] = o.Mix == PreviewMix.Mixup ? mixOptions.MixupAlpha : mixOptions.CutmixAlpha,
                    ["batch"] = n,
                    ["mode"] = "batch",
                    ["labelSmoothing"] = o.LabelSmoothing,
                    ["box"] = samples[0]!["box"]?.DeepClone(),
                    ["lambda"] = new JsonArray(p.Lambda.Select(v => (JsonNode)JsonValue.Create(v)).ToArray()),
                },
                ["samples"] = samples,
                ["clips"] = new JsonArray(clips.Select(c => (JsonNode)ClipJson(c)).ToArray()),
            };
            WriteParams(o.Params, doc);
            return new PreviewResult(o.Sheet, o.Params, summary);
        }
        finally
        {
            foreach (var c in clips)
                c.Dispose();
            foreach (var m in rows.SelectMany(r => r))
                m.Dispose();
        }
    }

    /// <summary>The clip's entry: crop box in original pixels, flip, rescale, views, and every transform's parameters.</summary>
    public static JsonObject ClipJson(Clip clip)
    {
        ArgumentNullException.ThrowIfNull(clip);
        var entry = new JsonObject
        {
            ["crop"] = Box(clip.SourceRegion),
            ["flip"] = clip.Map.Mirrored,
            ["rescale"] = clip.Applied.OfType<RandomRescaleParams>().FirstOrDefault() is { } r ? r.ShortSide : null,
            ["size"] = new JsonObject { ["width"] = clip.Width, ["height"] = clip.Height },
        };
        if (clip.Views > 1)
            entry["views"] = new JsonArray(clip.ViewMaps.Select(m =>
            {
                var o = Box(m.ToSource(new RectD(0, 0, clip.Width, clip.Height)));
                o["flip"] = m.Mirrored;
                return (JsonNode)o;
            }).ToArray());
        entry["params"] = JsonSerializer.SerializeToNode(clip.Applied, Json);
        return entry;
    }

    private static JsonObject RecipeJson(ClipPipeline recipe) => new()
    {
        ["name"] = recipe.Name,
        ["transforms"] = new JsonArray(recipe.Transforms.Select(t => (JsonNode)JsonValue.Create(t.Name)).ToArray()),
    };

    private static JsonObject Box(RectD r) => new()
    {
        ["x"] = Math.Round(r.X, 2),
        ["y"] = Math.Round(r.Y, 2),
        ["w"] = Math.Round(r.W, 2),
        ["h"] = Math.Round(r.H, 2),
    };

    /// <summary>The original frame with the clip's crop box (every view's, when several) drawn.</summary>
    private static Mat WithBoxes(Mat original, Clip clip)
    {
        var shown = original.Clone();
        int thickness = Math.Max(2, original.Height / 120);
        for (int v = 0; v < clip.Views; v++)
        {
            var r = clip.ViewMaps[v].ToSource(new RectD(0, 0, clip.Width, clip.Height));
            var color = v == 0 ? new Scalar(0, 255, 0) : new Scalar(0, 200, 255);
            Cv2.Rectangle(shown, new Rect((int)Math.Round(r.X), (int)Math.Round(r.Y), (int)Math.Round(r.W), (int)Math.Round(r.H)), color, thickness);
        }
        return shown;
    }

    /// <summary>C × T × H × W tensor → T frames (rounded to 8-bit when <paramref name="toBytes"/>: values still on the 0–255 scale).</summary>
    private static List<Mat> ToMats(Tensor clip, bool toBytes)
    {
        using var scope = NewDisposeScope();
        int c = (int)clip.shape[0], t = (int)clip.shape[1], h = (int)clip.shape[2], w = (int)clip.shape[3];
        var thwc = clip.permute(1, 2, 3, 0).contiguous().cpu();
        var data = thwc.data<float>().ToArray();
        var mats = new List<Mat>(t);
        for (int i = 0; i < t; i++)
        {
            var m = new Mat(h, w, MatType.CV_32FC(c));
            System.Runtime.InteropServices.Marshal.Copy(data, i * h * w * c, m.Data, h * w * c);
            if (toBytes)
            {
                var b = new Mat();
                m.ConvertTo(b, MatType.CV_8UC(c));
                m.Dispose();
                mats.Add(b);
            }
            else
            {
                mats.Add(m);
            }
        }
        return mats;
    }

    private static void WriteSheet(string path, IReadOnlyList<IReadOnlyList<Mat>> rows, int cellHeight, IReadOnlyList<string> labels)
    {
        using var sheet = Display.Sheet(rows, cellHeight, labels);
        string tmp = path + ".tmp.png";
        try
        {
            CreateParent(path);
            File.Create(tmp).Dispose(); // surfaces the file system's reason (read-only, full, rights), which ImWrite hides
        }
        catch (Exception e) when (WriteFailure.Is(e))
        {
            throw WriteFailure.Of(e, path);
        }
        if (!Cv2.ImWrite(tmp, sheet))
        {
            File.Delete(tmp);
            throw new ToolkitError(path, "could not be written (OpenCV's PNG encoder failed)", "check the free space of its folder");
        }
        File.Move(tmp, path, overwrite: true);
    }

    private static void WriteParams(string? path, JsonObject doc)
    {
        if (path is null)
            return;
        try
        {
            CreateParent(path);
            File.WriteAllText(path + ".tmp", doc.ToJsonString(Json) + "\n");
            File.Move(path + ".tmp", path, overwrite: true);
        }
        catch (Exception e) when (WriteFailure.Is(e))
        {
            throw WriteFailure.Of(e, path);
        }
    }

    private static void CreateParent(string path)
    {
        string? dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null)
            Directory.CreateDirectory(dir);
    }
}
