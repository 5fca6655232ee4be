using System.Globalization;
using Toolkit.Trainers.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Toolkit.Trainers.Weights;

/// <summary>What to import into.</summary>
/// <param name="Model">Architecture, multipliers and variant; <see cref="ModelSpec.Classes"/> 0 takes the class count from the file's classifier.</param>
public sealed record WeightImportOptions(ModelSpec Model)
{
    /// <summary>The file's source; <see cref="WeightSource.Auto"/> decides from its keys.</summary>
    public WeightSource Source { get; init; } = WeightSource.Auto;

    /// <summary>How 2-D kernels become 3-D (torchvision only).</summary>
    public Inflation Inflation { get; init; } = Inflation.Mean;
}

/// <summary>A tensor whose shape in the file is not the shape our model needs.</summary>
/// <param name="Key">Our key.</param>
/// <param name="Source">The file's key(s).</param>
/// <param name="Expected">Our shape.</param>
/// <param name="Found">The file's shape (after the map's op).</param>
public sealed record ShapeMismatch(string Key, string Source, long[] Expected, long[] Found)
{
    /// <inheritdoc />
    public override string ToString() => $"{Key} <- {Source}: expected [{string.Join(", ", Expected)}], found [{string.Join(", ", Found)}]";
}

/// <summary>What an import found: every key of ours mapped, or why not.</summary>
public sealed record ImportReport
{
    /// <summary>The file read.</summary>
    public required string File { get; init; }

    /// <summary>Its source (detected or given).</summary>
    public required WeightSource Source { get; init; }

    /// <summary>The key map used.</summary>
    public required string Map { get; init; }

    /// <summary>Where the state dict was in the file (<see cref="WeightsFile.Container"/>).</summary>
    public required string Container { get; init; }

    /// <summary>The model the weights were mapped onto.</summary>
    public required ModelSpec Model { get; init; }

    /// <summary>Tensors of ours read from the file.</summary>
    public int Mapped { get; init; }

    /// <summary>Tensors the file holds.</summary>
    public int FileTensors { get; init; }

    /// <summary>Our keys with no tensor in the file (<c>ours &lt;- theirs</c>).</summary>
    public IReadOnlyList<string> Missing { get; init; } = [];

    /// <summary>The file's keys nothing of ours reads.</summary>
    public IReadOnlyList<string> Unexpected { get; init; } = [];

    /// <summary>Tensors present with the wrong shape.</summary>
    public IReadOnlyList<ShapeMismatch> Mismatched { get; init; } = [];

    /// <summary>Our tensors set to a documented default because the source has none (BatchNorm counters, identity norms).</summary>
    public IReadOnlyList<string> Defaulted { get; init; } = [];

    /// <summary>Remarks (inflation used, entries beside the state dict left unread, …).</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>True when every tensor of ours came from the file and every tensor of the file was used.</summary>
    public bool Complete => Missing.Count == 0 && Unexpected.Count == 0 && Mismatched.Count == 0;

    /// <summary>Lines a person reads: counts, then each missing, unexpected and mismatched key.</summary>
    public IEnumerable<string> Lines()
    {
        yield return $"{File}: {WeightSources.Name(Source)} ({Map}, container {Container}) -> {Model}";
        yield return string.Create(CultureInfo.InvariantCulture,
            $"mapped {Mapped}, missing {Missing.Count}, unexpected {Unexpected.Count}, shape-mismatched {Mismatched.Count}, defaulted {Defaulted.Count} (file: {FileTensors} tensors)");
        foreach (var k in Missing.Take(50))
            yield return $"  missing     {k}";
        foreach (var k in Unexpected.Take(50))
            yield return $"  unexpected  {k}";
        foreach (var m in Mismatched.Take(50))
            yield return $"  mismatched  {m}";
        foreach (var k in Defaulted.Take(20))
            yield return $"  defaulted   {k}";
        foreach (var n in Notes)
            yield return $"  note: {n}";
    }
}

/// <summary>Weights mapped onto one of our models: our keys and tensors, and the report. Owns the tensors.</summary>
public sealed class ImportedWeights : IDisposable
{
    private readonly Dictionary<string, Tensor> _state;

    internal ImportedWeights(Dictionary<string, Tensor> state, ImportReport report)
    {
        _state = state;
        Report = report;
    }

    /// <summary>The model they fit (classes resolved).</summary>
    public ModelSpec Model => Report.Model;

    /// <summary>What the import found.</summary>
    public ImportReport Report { get; }

    /// <summary>Our state dict (keys as the model's state_dict names them).</summary>
    public IReadOnlyDictionary<string, Tensor> State => _state;

    /// <summary>Copies the weights into <paramref name="model"/> (built from <see cref="Model"/>); every key must fit.</summary>
    public void LoadInto(nn.Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var noGrad = no_grad();
        var target = model.state_dict();
        foreach (var (key, value) in _state)
        {
            if (!target.TryGetValue(key, out var t))
                throw new InvalidOperationException($"the model has no tensor {key}: build it from ImportedWeights.Model");
            t.copy_(value);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var t in _state.Values)
            t.Dispose();
        _state.Clear();
    }
}

/// <summary>Maps a weights file onto our architectures (<c>toolkit weights import</c>, <c>model.init_from</c>).</summary>
public static class WeightImport
{
    /// <summary>
    /// Reads <paramref name="path"/> (a PyTorch or safetensors file, toolkit's weights folder, or a training
    /// checkpoint) and maps it onto <paramref name="options"/>' model. Nothing is refused silently: the report lists every
    /// missing, unexpected and shape-mismatched key; the caller decides what is acceptable (import wants
    /// <see cref="ImportReport.Complete"/>).
    /// </summary>
    /// <exception cref="WeightsException">The file cannot be read, its source is unknown or refused for this architecture.</exception>
    public static ImportedWeights Run(string path, WeightImportOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(options);
        _ = options.Model.Entry; // unknown architecture: the zoo's message
        if (Directory.Exists(path) || options.Source == WeightSource.Toolkit && !File.Exists(path))
            return ToolkitFolder.Import(path, options);

        using var file = WeightsFile.Read(path);
        var source = options.Source == WeightSource.Auto
            ? KeyMaps.Detect([.. file.Tensors.Keys]) ?? throw new WeightsException(path,
                $"its keys match no known layout (first keys: {string.Join(", ", file.Tensors.Keys.Take(5))}); name its source: mmaction2, pytorchvideo, slowfast, timm, torchvision or toolkit")
            : options.Source;
        var notes = new List<string>();
        if (file.IgnoredEntries.Count > 0)
            notes.Add($"left unread beside the state dict: {string.Join(", ", file.IgnoredEntries)}");
        return Map(file.Path, file.Container, source, file.Tensors, options, notes);
    }

    internal static ImportedWeights Map(string path, string container, WeightSource source, IReadOnlyDictionary<string, Tensor> theirs,
        WeightImportOptions options, List<string> notes)
    {
        var map = KeyMaps.For(source, options.Model, path);
        foreach (var refuse in map.RefuseWhen)
        {
            if (theirs.Keys.FirstOrDefault(k => System.Text.RegularExpressions.Regex.IsMatch(k, refuse.Pattern)) is { } hit)
                throw new WeightsException(path, $"refused ({hit}): it {refuse.Reason}");
        }

        if (map.Note is { } note)
            notes.Add(note);
        var spec = options.Model;
        using var scope = NewDisposeScope();
        if (spec.Classes <= 0)
        {
            // Key names do not depend on the width: a narrow probe finds the classifier's name cheaply.
            using var probe = (spec with { Classes = 1, Width = Math.Min(spec.Width, 0.125) }).Create(new ModelOptions { Initialize = false });
            spec = spec with { Classes = ClassesInFile(probe, map, theirs, path, spec.Architecture) };
        }
        // Every tensor is overwritten by the file's (or refused): the seeded initialization would be wasted work.
        using var target = spec.Create(new ModelOptions { Initialize = false });
        var stageBlocks = KeyMap.StageBlocksOf(target);
        if (source == WeightSource.TorchVision)
            notes.Add($"2-D kernels inflated to 3-D, {(options.Inflation == Inflation.Mean ? "mean (mmaction2's pretrained2d: repeated over t and divided by t)" : "centre (2-D kernel on the middle tap, zeros elsewhere)")}; fc copied into the head");

        var state = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        var used = new HashSet<string>(StringComparer.Ordinal);
        var missing = new List<string>();
        var mismatched = new List<ShapeMismatch>();
        var defaulted = new List<string>();
        foreach (var (key, ours) in target.state_dict())
        {
            var renamed = map.Rename(key, stageBlocks);
            var (op, sources) = map.Resolve(renamed);
            if (!sources.All(theirs.ContainsKey) && map.Fallback(renamed) is { } fallback && fallback.Sources.All(theirs.ContainsKey))
                (op, sources) = fallback;
            var found = sources.Where(theirs.ContainsKey).ToList();
            string from = string.Join(" + ", sources);
            if (op == TensorOp.IdentityNorm && found.Count == 0)
            {
                state[key] = IdentityNorm(key, ours).MoveToOuterDisposeScope();
                defaulted.Add($"{key} (identity: {from} has no norm)");
                continue;
            }
            if (found.Count < sources.Length)
            {
                if (key.EndsWith(".num_batches_tracked", StringComparison.Ordinal))
                {
                    state[key] = zeros_like(ours).MoveToOuterDisposeScope();
                    defaulted.Add($"{key} (0: the file keeps no BatchNorm counter)");
                    continue;
                }
                missing.Add($"{key} <- {string.Join(" + ", sources.Except(found))}");
                used.UnionWith(found);
                continue;
            }
            used.UnionWith(found);
            var value = Make(op, [.. sources.Select(s => theirs[s])], ours, options.Inflation);
            if (!value.shape.SequenceEqual(ours.shape))
            {
                mismatched.Add(new ShapeMismatch(key, from, ours.shape, value.shape));
                continue;
            }
            state[key] = value.to(ours.dtype).contiguous().clone().MoveToOuterDisposeScope();
        }
        var unexpected = theirs.Keys.Where(k => !used.Contains(k) && !map.Ignored(k)).Order(StringComparer.Ordinal).ToList();
        var report = new ImportReport
        {
            File = path,
            Source = source,
            Map = map.Name,
            Container = container,
            Model = spec,
            Mapped = state.Count - defaulted.Count,
            FileTensors = theirs.Count,
            Missing = missing,
            Unexpected = unexpected,
            Mismatched = mismatched,
            Defaulted = defaulted,
            Notes = notes,
        };
        return new ImportedWeights(state, report);
    }

    /// <summary>The class count of the file's classifier: rows of the tensor our last head weight maps to.</summary>
    private static int ClassesInFile(VideoModel probe, KeyMap map, IReadOnlyDictionary<string, Tensor> theirs, string path, string architecture)
    {
        var headWeight = probe.Head.named_parameters().Where(p => p.name.EndsWith("weight", StringComparison.Ordinal) && p.parameter.dim() == 2).Select(p => p.name).LastOrDefault()
            ?? throw new WeightsException(path, "the architecture's head has no classifier weight");
        string ours = "head." + headWeight;
        var stageBlocks = KeyMap.StageBlocksOf(probe);
        var (_, sources) = map.Resolve(map.Rename(ours, stageBlocks));
        if (sources.Length == 1 && theirs.TryGetValue(sources[0], out var t) && t.dim() >= 1)
            return checked((int)t.shape[0]);
        throw new WeightsException(path, $"has no {string.Join(" + ", sources)}, where a {architecture} classifier sits in {map.Name}'s layout: it is not a {architecture} checkpoint, or not in that layout (name the source explicitly), or give the class count to list every key that does not map");
    }

    private static Tensor Make(TensorOp op, Tensor[] sources, Tensor ours, Inflation inflation)
    {
        switch (op)
        {
            case TensorOp.Join:
                return cat(sources, 0);
            case TensorOp.Reshape:
                return sources[0].numel() == ours.numel() ? sources[0].reshape(ours.shape) : sources[0];
            case TensorOp.Inflate when sources[0].dim() == 4 && ours.dim() == 5:
            {
                var w = sources[0];
                long kt = ours.shape[2];
                if (w.shape[1] < ours.shape[1])   // input channels added by a lateral connection: zeros there, as mmaction2
                    w = cat([w, zeros([w.shape[0], ours.shape[1] - w.shape[1], w.shape[2], w.shape[3]], dtype: w.dtype)], 1);
                if (inflation == Inflation.Mean)
                    return w.unsqueeze(2).expand(w.shape[0], w.shape[1], kt, w.shape[2], w.shape[3]).div(kt);
                var inflated = zeros([w.shape[0], w.shape[1], kt, w.shape[2], w.shape[3]], dtype: w.dtype);
                inflated.select(2, kt / 2).copy_(w);
                return inflated;
            }
            default:
                return sources[0];
        }
    }

    private static Tensor IdentityNorm(string key, Tensor ours)
    {
        string leaf = key[(key.LastIndexOf('.') + 1)..];
        return leaf switch
        {
            "weight" => ones_like(ours),
            "running_var" => full_like(ours, 1 - 1e-5),
            _ => zeros_like(ours),
        };
    }
}
