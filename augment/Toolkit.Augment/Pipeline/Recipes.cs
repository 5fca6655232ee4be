using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Toolkit.Augment.Color;
using Toolkit.Augment.Geometry;
using Toolkit.Core;
using Toolkit.Core.Json;

namespace Toolkit.Augment.Pipeline;

/// <summary>
/// The seed's augmentation recipes by name (SPEC §3), and recipes loaded from JSON.
/// </summary>
/// <remarks>
/// Training: <c>rrc</c> = Resize(-1, 256) → RandomResizedCrop(area 0.08–1, aspect 3/4–4/3) → Resize(224, 224);
/// <c>rescale</c> = RandomRescale(256, 320) → RandomCrop(224). Test: <c>resize224</c> = Resize(224, 224);
/// <c>center224@224</c> / <c>center224@256</c> = Resize(-1, 224 / 256) → CenterCrop(224);
/// <c>three224@224</c> / <c>three224@256</c> = Resize(-1, 224 / 256) → ThreeCrop(224). No flip or normalize is part of a
/// named recipe; add them in a JSON recipe or with the builder.
/// </remarks>
public static class Recipes
{
    private static readonly Dictionary<string, Func<ClipPipeline>> Named = new(StringComparer.Ordinal)
    {
        ["rrc"] = () => ClipPipeline.Build(x => x.Resize(-1, 256).RandomResizedCrop().Resize(224, 224), "rrc"),
        ["rescale"] = () => ClipPipeline.Build(x => x.RandomRescale(256, 320).RandomCrop(224), "rescale"),
        ["resize224"] = () => ClipPipeline.Build(x => x.Resize(224, 224), "resize224"),
        ["center224@224"] = () => ClipPipeline.Build(x => x.Resize(-1, 224).CenterCrop(224), "center224@224"),
        ["center224@256"] = () => ClipPipeline.Build(x => x.Resize(-1, 256).CenterCrop(224), "center224@256"),
        ["three224@224"] = () => ClipPipeline.Build(x => x.Resize(-1, 224).ThreeCrop(224), "three224@224"),
        ["three224@256"] = () => ClipPipeline.Build(x => x.Resize(-1, 256).ThreeCrop(224), "three224@256"),
    };

    private static readonly Dictionary<string, Func<JsonNode?, IClipTransform>> Types = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Resize"] = o => new Resize(Options<ResizeOptions>(o)),
        ["RandomRescale"] = o => new RandomRescale(Options<RandomRescaleOptions>(o)),
        ["RandomResizedCrop"] = o => new RandomResizedCrop(Options<RandomResizedCropOptions>(o)),
        ["RandomCrop"] = o => new RandomCrop(Options<CropOptions>(o)),
        ["CenterCrop"] = o => new CenterCrop(Options<CropOptions>(o)),
        ["ThreeCrop"] = o => new ThreeCrop(Options<CropOptions>(o)),
        ["TenCrop"] = o => new TenCrop(Options<CropOptions>(o)),
        ["MultiScaleCrop"] = o => new MultiScaleCrop(Options<MultiScaleCropOptions>(o)),
        ["Flip"] = o => new Flip(Options<FlipOptions>(o)),
        ["ColorJitter"] = o => new ColorJitter(Options<ColorJitterOptions>(o)),
        ["Normalize"] = o => new Normalize(Options<NormalizeOptions>(o)),
    };

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        PropertyNameCaseInsensitive = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>The named recipes, in the order documented.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. Named.Keys];

    /// <summary>Transform type names a JSON recipe may use.</summary>
    public static IReadOnlyList<string> TransformTypes { get; } = [.. Types.Keys];

    /// <summary>
    /// The named recipe for crop <paramref name="crop"/>. As SlowFast does under multigrid, the scale range is multiplied
    /// by S / <paramref name="defaultCrop"/> (rounded half to even): <c>rrc</c> = Resize(-1, 256·r) → RandomResizedCrop
    /// → Resize(S, S); <c>rescale</c> = RandomRescale(256·r, 320·r) → RandomCrop(S); <c>center</c> = Resize(-1, 256·r)
    /// → CenterCrop(S); <c>three</c> = Resize(-1, 256·r) → ThreeCrop(S). A JSON recipe is used as it is, only when S is
    /// the default crop.
    /// </summary>
    /// <exception cref="ToolkitError">Unknown name, or a JSON recipe with another crop.</exception>
    public static ClipPipeline ForCrop(string name, int crop, int defaultCrop = 224)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentOutOfRangeException.ThrowIfLessThan(crop, 1);
        int Scale(int v) => (int)Math.Round(v * (double)crop / defaultCrop, MidpointRounding.ToEven);
        return name switch
        {
            "rrc" => ClipPipeline.Build(x => x.Resize(-1, Scale(256)).RandomResizedCrop().Resize(crop, crop), $"rrc@{crop}"),
            "rescale" => ClipPipeline.Build(x => x.RandomRescale(Scale(256), Scale(320)).RandomCrop(crop), $"rescale@{crop}"),
            "center" => ClipPipeline.Build(x => x.Resize(-1, Scale(256)).CenterCrop(crop), $"center@{crop}"),
            "three" => ClipPipeline.Build(x => x.Resize(-1, Scale(256)).ThreeCrop(crop), $"three@{crop}"),
            _ when crop == defaultCrop => Resolve(name),
            _ => throw new ToolkitError(name, $"cannot be rescaled to crop {crop}", "use rrc, rescale, center or three when the crop changes (multigrid), or pass a Recipe function"),
        };
    }

    /// <summary>The recipe called <paramref name="name"/>; a <see cref="ToolkitError"/> listing the known names otherwise.</summary>
    public static ClipPipeline Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Named.TryGetValue(name, out var make)
            ? make()
            : throw new ToolkitError(name, "unknown recipe", $"known recipes: {string.Join(", ", Names)}; or give a .json recipe file");
    }

    /// <summary>A recipe name, or the path of a JSON recipe file (any argument ending in <c>.json</c>).</summary>
    public static ClipPipeline Resolve(string nameOrPath)
    {
        ArgumentNullException.ThrowIfNull(nameOrPath);
        if (!nameOrPath.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
            return Get(nameOrPath);
        if (!File.Exists(nameOrPath))
            throw new ToolkitError(nameOrPath, "no such recipe file");
        return FromJson(File.ReadAllText(nameOrPath), nameOrPath);
    }

    /// <summary>
    /// Parses a JSON recipe: <c>{"name": "mine", "transforms": [{"type": "Resize", "width": -1, "height": 256},
    /// {"type": "RandomResizedCrop", "areaMin": 0.08}, {"type": "Flip", "probability": 0.5}]}</c> (or just the array).
    /// Option names are the options records' properties (camelCase or any case); unknown names are errors.
    /// </summary>
    /// <param name="json">The recipe text.</param>
    /// <param name="source">What to name in errors (a file path).</param>
    public static ClipPipeline FromJson(string json, string source = "recipe")
    {
        ArgumentNullException.ThrowIfNull(json);
        var text = new JsonSourceText(source, json);
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw JsonConfig.InvalidJson(text, e, commentsAllowed: true);
        }
        string name = Path.GetFileNameWithoutExtension(source);
        JsonArray? steps = root as JsonArray;
        if (root is JsonObject obj)
        {
            if (obj["name"] is JsonValue n && n.TryGetValue(out string? s))
                name = s;
            steps = obj["transforms"] as JsonArray;
        }
        if (steps is null)
            throw new ToolkitError(source, "a recipe is {\"transforms\": [...]} or an array of transforms");
        var transforms = new List<IClipTransform>();
        for (int i = 0; i < steps.Count; i++)
        {
            string at = text.Locate(root is JsonObject ? $"transforms[{i}]" : $"[{i}]") is { } p ? $"{source}:{p}" : source;
            if (steps[i] is not JsonObject step || step["type"] is not JsonValue typeValue || !typeValue.TryGetValue(out string? type))
                throw new ToolkitError($"{at}: transform {i + 1}", "needs a \"type\"", $"known types: {string.Join(", ", TransformTypes)}");
            if (!Types.TryGetValue(type, out var make))
                throw new ToolkitError($"{at}: transform {i + 1}", $"unknown type '{type}'", Spelling.Closest(type, TransformTypes) is { } guess ? $"did you mean {guess}? (known types: {string.Join(", ", TransformTypes)})" : $"known types: {string.Join(", ", TransformTypes)}");
            var options = step.DeepClone().AsObject();
            options.Remove("type");
            try
            {
                transforms.Add(make(options));
            }
            catch (ToolkitError e)
            {
                throw new ToolkitError($"{at}: transform {i + 1} ({type})", e.Subject == OptionsSubject ? e.Reason : e.Message);
            }
        }
        return new ClipPipeline(transforms, name);
    }

    /// <summary>The subject of an options error, which already names its key.</summary>
    private const string OptionsSubject = "transform options";

    private static T Options<T>(JsonNode? node) where T : new()
    {
        if (node is null)
            return new T();
        try
        {
            return node.Deserialize<T>(Json) ?? new T();
        }
        catch (JsonException e)
        {
            var (_, message) = JsonConfig.Explain(e, typeof(T), Json, JsonSerializer.SerializeToElement(node));
            throw new ToolkitError(OptionsSubject, message);
        }
    }
}
