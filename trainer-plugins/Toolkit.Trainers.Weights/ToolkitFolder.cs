using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Toolkit.Core;
using Toolkit.Trainers.Models;
using Toolkit.Trainers.Training;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Toolkit.Trainers.Weights;

/// <summary>What <c>weights.json</c> records beside <c>model.safetensors</c> (schema <c>toolkit.weights/1</c>).</summary>
public sealed record WeightsManifest
{
    /// <summary>Schema name and version.</summary>
    public string Schema { get; init; } = ToolkitFolder.Schema;

    /// <summary>The model the weights fit.</summary>
    public required ModelSpec Model { get; init; }

    /// <summary>Where they came from (the imported file), if imported.</summary>
    public string? ImportedFrom { get; init; }

    /// <summary>The source's layout (<c>mmaction2</c>, …), if imported.</summary>
    public string? Source { get; init; }

    /// <summary>Size of model.safetensors in bytes.</summary>
    public long Bytes { get; init; }

    /// <summary>SHA-256 of model.safetensors (hex).</summary>
    public string Sha256 { get; init; } = "";
}

/// <summary>
/// toolkit's own weights: a folder with <c>model.safetensors</c> (our key layout) and <c>weights.json</c>
/// (<see cref="WeightsManifest"/>), written atomically; training checkpoints (<c>epoch_NNNN/</c>) are read too.
/// </summary>
public static class ToolkitFolder
{
    /// <summary>Schema of weights.json.</summary>
    public const string Schema = "toolkit.weights/1";

    /// <summary>The weights file in the folder.</summary>
    public const string WeightsFileName = "model.safetensors";

    /// <summary>The manifest in the folder.</summary>
    public const string ManifestFileName = "weights.json";

    internal static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>
    /// Writes <paramref name="state"/> to <paramref name="folder"/> atomically: both files go to a hidden sibling folder
    /// that is renamed into place only when complete, so a crash never leaves a folder that looks complete. An existing
    /// folder is replaced only with <paramref name="overwrite"/>.
    /// </summary>
    /// <exception cref="WeightsException">The folder exists (without <paramref name="overwrite"/>) or cannot be written.</exception>
    public static void Save(string folder, IReadOnlyDictionary<string, Tensor> state, WeightsManifest manifest, bool overwrite)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        folder = Path.GetFullPath(folder);
        if (Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any() && !overwrite)
            throw new WeightsException(folder, "exists and is not empty; choose another folder or allow replacing it (--force)");
        try
        {
            using var staged = StagedFolder.Create(folder);
            string weights = Path.Combine(staged.Path, WeightsFileName);
            using (var stream = new FileStream(weights, FileMode.CreateNew, FileAccess.Write))
            {
                Safetensors.SaveStateDict(stream, state.ToDictionary(kv => kv.Key, kv => kv.Value.contiguous()), leaveOpen: true);
                stream.Flush(flushToDisk: true);
            }
            manifest = manifest with { Schema = Schema, Bytes = new FileInfo(weights).Length, Sha256 = Hash(weights) };
            using (var stream = new FileStream(Path.Combine(staged.Path, ManifestFileName), FileMode.CreateNew, FileAccess.Write))
            {
                JsonSerializer.Serialize(stream, manifest, Json);
                stream.Flush(flushToDisk: true);
            }
            staged.Commit();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new WeightsException(folder, $"cannot be written ({e.Message}); nothing was left there");
        }
    }

    /// <summary>Reads and checks a folder's manifest (size and hash of model.safetensors).</summary>
    /// <exception cref="WeightsException">Missing, unreadable or not matching its weights file.</exception>
    public static WeightsManifest ReadManifest(string folder)
    {
        string path = Path.Combine(folder, ManifestFileName);
        if (!File.Exists(path))
            throw new WeightsException(folder, $"has no {ManifestFileName}: not toolkit weights (nor a training checkpoint)");
        WeightsManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<WeightsManifest>(File.ReadAllText(path), Json);
        }
        catch (JsonException e)
        {
            throw new WeightsException(path, $"is not valid JSON ({e.Message})");
        }
        if (manifest is null || manifest.Schema != Schema)
            throw new WeightsException(path, $"is not a {Schema} manifest");
        string weights = Path.Combine(folder, WeightsFileName);
        if (!File.Exists(weights))
            throw new WeightsException(weights, "is missing (incomplete weights folder)");
        long bytes = new FileInfo(weights).Length;
        if (bytes != manifest.Bytes)
            throw new WeightsException(weights, $"has {bytes} bytes, {ManifestFileName} recorded {manifest.Bytes} (truncated or corrupt)");
        if (!string.Equals(Hash(weights), manifest.Sha256, StringComparison.OrdinalIgnoreCase))
            throw new WeightsException(weights, $"does not match the SHA-256 in {ManifestFileName} (corrupt)");
        return manifest;
    }

    /// <summary>Our weights from a weights folder or a training checkpoint (folder or work directory), mapped onto <paramref name="options"/>' model.</summary>
    internal static ImportedWeights Import(string path, WeightImportOptions options)
    {
        if (!Directory.Exists(path))
            throw new WeightsException(path, "does not exist");
        var notes = new List<string>();
        ModelSpec stored;
        Dictionary<string, Tensor> tensors;
        string container;
        if (File.Exists(Path.Combine(path, ManifestFileName)))
        {
            stored = ReadManifest(path).Model;
            tensors = WeightsFile.Read(Path.Combine(path, WeightsFileName)).Tensors.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
            container = "toolkit weights folder";
        }
        else if (Checkpoint.IsCheckpoint(path))
        {
            TrainingState state;
            try
            {
                state = Checkpoint.ReadState(path);
            }
            catch (InvalidDataException e)
            {
                throw new WeightsException(path, e.Message);
            }
            stored = state.Model ?? (options.Model.Classes > 0 ? options.Model : throw new WeightsException(path,
                "is a training checkpoint written before toolkit recorded its model; give the model's classes (and width, depth) explicitly"));
            if (!string.Equals(stored.Architecture, options.Model.Architecture, StringComparison.OrdinalIgnoreCase))
                throw new WeightsException(path, $"holds {stored.Architecture} weights, not {options.Model.Architecture}");
            tensors = ReadCheckpoint(path, stored);
            container = $"training checkpoint (epoch {state.Epoch})";
        }
        else
        {
            throw new WeightsException(path, $"is a folder without {ManifestFileName} or a training checkpoint's state.json");
        }

        if (!string.Equals(stored.Architecture, options.Model.Architecture, StringComparison.OrdinalIgnoreCase))
        {
            foreach (var t in tensors.Values)
                t.Dispose();
            throw new WeightsException(path, $"holds {stored.Architecture} weights, not {options.Model.Architecture}");
        }
        try
        {
            var spec = options.Model with
            {
                Classes = options.Model.Classes > 0 ? options.Model.Classes : stored.Classes,
                StemTemporalStride = options.Model.StemTemporalStride ?? stored.StemTemporalStride,
            };
            return WeightImport.Map(path, container, WeightSource.Toolkit, tensors, options with { Model = spec }, notes);
        }
        finally
        {
            foreach (var t in tensors.Values)
                t.Dispose();
        }
    }

    private static Dictionary<string, Tensor> ReadCheckpoint(string path, ModelSpec spec)
    {
        // Every weight comes from the checkpoint. Image models train inside a per-frame wrapper whose field is "frames":
        // their checkpoints prefix every key with it. Multigrid runs train with sub-batch norm, saved aggregated (one
        // split): its running statistics are the plain BatchNorm's, and the per-split buffers are left behind.
        Exception? last = null;
        foreach (var norm in new[] { null, Toolkit.Trainers.Models.Norms.SubBatchNorm3d.Factory(1) })
        {
            using var model = spec.Create(new ModelOptions { Initialize = false, Norm3d = norm });
            using var wrapped = new Prefix(model);
            foreach (nn.Module candidate in new nn.Module[] { model, wrapped })
            {
                try
                {
                    Checkpoint.LoadModel(path, candidate);
                    return model.state_dict()
                        .Where(kv => !kv.Key.EndsWith(".split_running_mean", StringComparison.Ordinal) && !kv.Key.EndsWith(".split_running_var", StringComparison.Ordinal))
                        .ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone(), StringComparer.Ordinal);
                }
                catch (Exception e) when (e is InvalidDataException or ModelMismatchException)
                {
                    last ??= e;
                }
            }
        }
        throw new WeightsException(path, $"does not fit {spec} ({last!.Message})");
    }

    private static string Hash(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexString(SHA256.HashData(stream));
    }

    private sealed class Prefix : nn.Module
    {
        private readonly nn.Module frames;

        public Prefix(nn.Module inner) : base(nameof(Prefix))
        {
            frames = inner;
            RegisterComponents();
        }
    }
}
