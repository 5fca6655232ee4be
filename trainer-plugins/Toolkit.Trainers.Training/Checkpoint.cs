using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Toolkit.Trainers.Training;

/// <summary>What a checkpoint records besides the weights and the optimizer state (written as <c>state.json</c>).</summary>
public sealed record TrainingState
{
    /// <summary>Epochs completed (the checkpoint folder is <c>epoch_{Epoch:0000}</c>), ≥ 0.</summary>
    public int Epoch { get; init; }

    /// <summary>Optimizer steps taken so far, ≥ 0.</summary>
    public long Step { get; init; }

    /// <summary>Run seed.</summary>
    public long Seed { get; init; }

    /// <summary>State of the run's <see cref="Generator"/> (<see cref="CaptureGenerator"/>), base64 in JSON; null if none.</summary>
    public byte[]? GeneratorState { get; init; }

    /// <summary>Name of the learning-rate schedule (<see cref="LearningRateSchedule.Name"/>).</summary>
    public string? Schedule { get; init; }

    /// <summary>The model these weights fit (architecture, classes, multipliers, variant), so they can be read without the run's config; null in checkpoints written before it was recorded.</summary>
    public Toolkit.Trainers.Models.ModelSpec? Model { get; init; }

    /// <summary>Metrics at this point (e.g. <c>val/top1</c>).</summary>
    public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();

    /// <summary>The bytes of <paramref name="generator"/>'s state (for <see cref="GeneratorState"/>).</summary>
    public static byte[] CaptureGenerator(Generator generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        using var state = generator.get_state();
        return state.bytes.ToArray();
    }

    /// <summary>Restores <see cref="GeneratorState"/> into <paramref name="generator"/>.</summary>
    /// <exception cref="InvalidOperationException">No generator state was recorded.</exception>
    public void RestoreGenerator(Generator generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        if (GeneratorState is null)
            throw new InvalidOperationException("This training state has no generator state.");
        using var state = tensor(GeneratorState, ScalarType.Byte);
        generator.set_state(state);
    }
}

/// <summary>
/// Crash-safe checkpoints under <c>workDir/checkpoints/</c>: one folder per save, <c>epoch_0003/</c> with
/// <c>model.bin</c> (TorchSharp <c>Module.save</c>), <c>optimizer.bin</c> (TorchSharp <c>save_state_dict</c>) and
/// <c>state.json</c> (<see cref="TrainingState"/> plus the size and SHA-256 of both binaries), and a <c>latest</c> file
/// naming the newest folder.
/// <para>
/// Atomicity: the files are written and flushed to disk in a hidden temporary folder (<c>.tmp-epoch_0003-…</c>), which
/// is then renamed to its final name (a rename within one folder is atomic); <c>latest</c> is replaced the same way
/// (write <c>latest.tmp</c>, then rename over <c>latest</c>) only after that. A crash at any point leaves either the
/// previous checkpoint as <c>latest</c> or the new one complete; a leftover temporary folder is never read and is
/// removed by the next save.
/// </para>
/// <para>
/// Corruption policy: <see cref="TryLoadLatest(string, nn.Module, OptimizerHelper)"/> verifies sizes and hashes before touching the model. If the
/// checkpoint <c>latest</c> names is incomplete or corrupt, it falls back to the newest older checkpoint that verifies,
/// and reports each one it skipped with the file and the reason (never silently); when none verifies it throws
/// <see cref="InvalidDataException"/> naming them all, rather than starting afresh.
/// </para>
/// </summary>
public static class Checkpoint
{
    /// <summary>Folder of the checkpoints inside a work directory.</summary>
    public const string FolderName = "checkpoints";

    /// <summary>Name of the pointer file.</summary>
    public const string LatestFileName = "latest";

    /// <summary>Name of the pointer to the checkpoint with the highest <see cref="BestMetric"/> so far.</summary>
    public const string BestFileName = "best";

    /// <summary>The metric <see cref="BestFileName"/> follows (higher is better): the validation top-1 a checkpoint records.</summary>
    public const string BestMetric = "val_top1";

    private const string ModelFile = "model.bin";
    private const string OptimizerFile = "optimizer.bin";
    private const string StateFile = "state.json";
    private const string TempPrefix = ".tmp-";

    // state.json in snake_case like every other file the toolkit writes; checkpoints written before (PascalCase keys,
    // "State" at the top) are still read, with the options they were written with.
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.Never, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
    private static readonly JsonSerializerOptions LegacyJson = new() { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.Never };

    private static StateRecord? ReadRecord(Stream stream)
    {
        using var doc = JsonDocument.Parse(stream);
        return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("State", out _)
            ? doc.RootElement.Deserialize<StateRecord>(LegacyJson)
            : doc.RootElement.Deserialize<StateRecord>(Json);
    }

    /// <summary>The folder name of epoch <paramref name="epoch"/> (<c>epoch_0003</c>).</summary>
    public static string FolderFor(int epoch) => string.Create(CultureInfo.InvariantCulture, $"epoch_{epoch:0000}");

    /// <summary>Saves model, optimizer and state atomically and points <c>latest</c> at it; replaces an existing checkpoint of the same epoch.</summary>
    /// <param name="workDir">Run directory (created if missing).</param>
    /// <param name="model">Model whose parameters and buffers to save.</param>
    /// <param name="optimizer">Its optimizer (a TorchSharp managed optimizer: AdamW, SGD, …).</param>
    /// <param name="state">Epoch, step, seed, generator state, schedule, metrics.</param>
    /// <returns>The checkpoint folder.</returns>
    public static string Save(string workDir, nn.Module model, OptimizerHelper optimizer, TrainingState state) =>
        Save(workDir, model, optimizer, state, onStage: null);

    /// <summary>As <see cref="Save(string, nn.Module, OptimizerHelper, TrainingState)"/>; <paramref name="onStage"/> is called after each stage (tests inject crashes there).</summary>
    internal static string Save(string workDir, nn.Module model, OptimizerHelper optimizer, TrainingState state, Action<string>? onStage)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workDir);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(state);
        if (state.Epoch < 0)
            throw new ArgumentOutOfRangeException(nameof(state), state.Epoch, "state.Epoch must be >= 0.");
        if (state.Step < 0)
            throw new ArgumentOutOfRangeException(nameof(state), state.Step, "state.Step must be >= 0.");

        string root = Path.Combine(workDir, FolderName);
        Directory.CreateDirectory(root);
        foreach (var stale in Directory.EnumerateDirectories(root, TempPrefix + "*"))
            TryDeleteDirectory(stale);

        string name = FolderFor(state.Epoch);
        string temp = Path.Combine(root, $"{TempPrefix}{name}-{Guid.NewGuid():N}");
        string final = Path.Combine(root, name);
        Directory.CreateDirectory(temp);
        try
        {
            WriteDurably(Path.Combine(temp, ModelFile), stream =>
            {
                using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
                model.save(writer);
                writer.Flush();
            });
            onStage?.Invoke("model");
            WriteDurably(Path.Combine(temp, OptimizerFile), stream =>
            {
                using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
                optimizer.save_state_dict(writer);
                writer.Flush();
            });
            onStage?.Invoke("optimizer");
            var record = new StateRecord
            {
                State = state,
                Files = new Dictionary<string, FileRecord>
                {
                    [ModelFile] = Describe(Path.Combine(temp, ModelFile)),
                    [OptimizerFile] = Describe(Path.Combine(temp, OptimizerFile)),
                },
            };
            WriteDurably(Path.Combine(temp, StateFile), stream => JsonSerializer.Serialize(stream, record, Json));
            onStage?.Invoke("state");

            if (Directory.Exists(final))
            {
                string old = Path.Combine(root, $"{TempPrefix}old-{name}-{Guid.NewGuid():N}");
                Directory.Move(final, old);
                Directory.Move(temp, final);
                TryDeleteDirectory(old);
            }
            else
            {
                Directory.Move(temp, final);
            }

            onStage?.Invoke("renamed");
        }
        catch
        {
            TryDeleteDirectory(temp);
            throw;
        }

        PointLatest(root, name);
        onStage?.Invoke("latest");
        if (state.Metrics.TryGetValue(BestMetric, out double score) && double.IsFinite(score) && !(BestScore(root) >= score))
            PointAt(root, BestFileName, name);
        return final;
    }

    /// <summary>
    /// Loads the checkpoint <c>latest</c> names (or, with no <c>latest</c> file, the highest-numbered complete folder; when
    /// that one is incomplete or corrupt, the newest older one that verifies) into <paramref name="model"/> and
    /// <paramref name="optimizer"/> (built the same way as when saving) and returns its state; null when the work
    /// directory has no checkpoint. Restore the generator with <see cref="TrainingState.RestoreGenerator"/>.
    /// </summary>
    /// <exception cref="InvalidDataException">
    /// No checkpoint verifies (detected before anything is loaded; each one named with its reason), or the optimizer
    /// state does not fit the optimizer (then the model may be partly overwritten: rebuild it).
    /// </exception>
    /// <exception cref="ModelMismatchException">The verified checkpoint's weights do not fit <paramref name="model"/> (another architecture or shape).</exception>
    public static TrainingState? TryLoadLatest(string workDir, nn.Module model, OptimizerHelper optimizer) =>
        TryLoadLatest(workDir, model, optimizer, onSkipped: null);

    /// <summary>
    /// As <see cref="TryLoadLatest(string, nn.Module, OptimizerHelper)"/>; <paramref name="onSkipped"/> hears of every
    /// incomplete or corrupt checkpoint passed over on the way to the newest one that verifies (folder and reason).
    /// </summary>
    public static TrainingState? TryLoadLatest(string workDir, nn.Module model, OptimizerHelper optimizer, Action<string, string>? onSkipped)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workDir);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizer);

        string root = Path.Combine(workDir, FolderName);
        if (!Directory.Exists(root))
            return null;
        // Newest first: the folder latest names, then every other complete-looking one by epoch, descending.
        var candidates = new List<string>();
        var problems = new List<string>();
        string latest = Path.Combine(root, LatestFileName);
        if (File.Exists(latest))
        {
            string named = File.ReadAllText(latest).Trim();
            if (named.Length == 0 || named.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || named.StartsWith('.'))
                problems.Add($"{latest}: does not name a checkpoint folder (content '{named}')");
            else if (!Directory.Exists(Path.Combine(root, named)))
                problems.Add($"{latest}: names '{named}', but {Path.Combine(root, named)} does not exist");
            else
                candidates.Add(named);
        }
        foreach (var name in Enumerable.Reverse(List(root)))
        {
            if (!candidates.Contains(name))
                candidates.Add(name);
        }
        foreach (var problem in problems)
            onSkipped?.Invoke(latest, problem);
        if (candidates.Count == 0)
        {
            if (problems.Count > 0)
                throw new InvalidDataException(problems[0] + "; no checkpoint folder to resume from.");
            return null;
        }

        StateRecord? record = null;
        string folder = "";
        foreach (var name in candidates)
        {
            folder = Path.Combine(root, name);
            try
            {
                record = ReadVerified(folder);
                break;
            }
            catch (InvalidDataException e)
            {
                problems.Add(e.Message);
                onSkipped?.Invoke(folder, e.Message);
            }
        }
        if (record is null)
            throw new InvalidDataException($"no checkpoint in {root} verifies: {string.Join("; ", problems)} Move the folders away (or use another work dir) to start afresh.");

        string modelPath = Path.Combine(folder, ModelFile);
        string optimizerPath = Path.Combine(folder, OptimizerFile);
        try
        {
            model.load(modelPath, strict: true);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new ModelMismatchException($"{modelPath}: cannot be loaded into this model ({e.Message.TrimEnd('.')})", e);
        }

        try
        {
            optimizer.load_state_dict(optimizerPath);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new InvalidDataException($"{optimizerPath}: cannot be loaded into this optimizer ({e.Message}).", e);
        }

        return record.State;
    }

    /// <summary>
    /// Loads only the weights of the checkpoint in <paramref name="folder"/> (an <c>epoch_NNNN</c> folder, or a work
    /// directory: then the one <c>latest</c> names) into <paramref name="model"/>, after the same size and hash checks as
    /// <see cref="TryLoadLatest(string, nn.Module, OptimizerHelper)"/>; returns the folder's state.
    /// </summary>
    /// <exception cref="InvalidDataException">No checkpoint there, or incomplete or corrupt (the message names the file).</exception>
    /// <exception cref="ModelMismatchException">The weights do not fit <paramref name="model"/>.</exception>
    public static TrainingState LoadModel(string folder, nn.Module model)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        ArgumentNullException.ThrowIfNull(model);
        string checkpoint = ResolveFolder(folder);
        var record = ReadVerified(checkpoint);
        string modelPath = Path.Combine(checkpoint, ModelFile);
        try
        {
            model.load(modelPath, strict: true);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new ModelMismatchException($"{modelPath}: cannot be loaded into this model ({e.Message.TrimEnd('.')})", e);
        }
        return record.State!;
    }

    /// <summary>The state recorded in a checkpoint folder (or the one a work directory's <c>latest</c> names), checked as <see cref="LoadModel"/> checks it.</summary>
    /// <exception cref="InvalidDataException">No checkpoint there, or incomplete or corrupt.</exception>
    public static TrainingState ReadState(string folder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        return ReadVerified(ResolveFolder(folder)).State!;
    }

    /// <summary>Whether <paramref name="folder"/> is a checkpoint folder or a work directory with checkpoints.</summary>
    public static bool IsCheckpoint(string folder) =>
        File.Exists(Path.Combine(folder, StateFile)) || Directory.Exists(Path.Combine(folder, FolderName));

    private static string ResolveFolder(string folder)
    {
        if (File.Exists(Path.Combine(folder, StateFile)))
            return folder;
        string root = Path.Combine(folder, FolderName);
        string latest = Path.Combine(root, LatestFileName);
        string? name = File.Exists(latest) ? File.ReadAllText(latest).Trim() : Directory.Exists(root) ? List(root).LastOrDefault() : null;
        if (string.IsNullOrEmpty(name) || name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || name.StartsWith('.'))
            throw new InvalidDataException($"{folder}: neither a checkpoint folder (no {StateFile}) nor a work directory with checkpoints.");
        return Path.Combine(root, name);
    }

    /// <summary>
    /// The checkpoint of <paramref name="workDir"/> that <paramref name="which"/> names: an epoch number (<c>3</c>), a
    /// folder name (<c>epoch_0003</c>) or a path to one of its checkpoint folders; verified (sizes and hashes).
    /// </summary>
    /// <exception cref="InvalidDataException">No such checkpoint in the work dir, or it does not verify (the message says why and lists the ones there).</exception>
    public static (string Folder, TrainingState State) Find(string workDir, string which)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workDir);
        ArgumentException.ThrowIfNullOrWhiteSpace(which);
        string root = Path.GetFullPath(Path.Combine(workDir, FolderName));
        string name = int.TryParse(which, NumberStyles.None, CultureInfo.InvariantCulture, out int epoch) ? FolderFor(epoch)
                    : Path.GetFileName(Path.TrimEndingDirectorySeparator(which));
        if (which.Contains(Path.DirectorySeparatorChar, StringComparison.Ordinal)
            && !string.Equals(Path.GetDirectoryName(Path.GetFullPath(Path.TrimEndingDirectorySeparator(which))), root, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"{which}: not a checkpoint of this work dir ({root}); to start from another run's weights use trainer.init_from");
        }
        string folder = Path.Combine(root, name);
        if (!Directory.Exists(folder))
        {
            var there = Directory.Exists(root) ? List(root) : [];
            throw new InvalidDataException($"{folder}: no such checkpoint (this work dir has {(there.Count == 0 ? "none" : string.Join(", ", there))})");
        }
        return (folder, ReadVerified(folder).State!);
    }

    /// <summary>
    /// Makes <paramref name="folder"/> (a checkpoint of <paramref name="workDir"/>) the one training resumes from: every
    /// later <c>epoch_*</c> folder is moved into <paramref name="setAside"/> (kept, never deleted, and never mixed with the
    /// epochs the new run writes), then <c>latest</c> is pointed at it atomically. Returns the moved folder names.
    /// </summary>
    public static IReadOnlyList<string> RewindTo(string workDir, string folder, string setAside)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workDir);
        string root = Path.Combine(workDir, FolderName);
        string name = Path.GetFileName(folder);
        int epoch = int.Parse(name.AsSpan(6), NumberStyles.None, CultureInfo.InvariantCulture);
        var moved = new List<string>();
        foreach (string later in List(root).Where(n => int.Parse(n.AsSpan(6), NumberStyles.None, CultureInfo.InvariantCulture) > epoch))
        {
            Directory.CreateDirectory(setAside);
            Directory.Move(Path.Combine(root, later), Path.Combine(setAside, later));
            moved.Add(later);
        }
        PointLatest(root, name);
        if (moved.Count > 0)
            RecomputeBest(root);
        return moved;
    }

    /// <summary>Points <c>latest</c> at <paramref name="name"/>: written durably beside it, then renamed over it.</summary>
    private static void PointLatest(string root, string name) => PointAt(root, LatestFileName, name);

    private static void PointAt(string root, string pointer, string name)
    {
        string temp = Path.Combine(root, pointer + ".tmp");
        WriteDurably(temp, stream => stream.Write(System.Text.Encoding.UTF8.GetBytes(name + "\n")));
        File.Move(temp, Path.Combine(root, pointer), overwrite: true);
    }

    /// <summary>
    /// The checkpoint folder with the highest validation top-1 so far (<c>checkpoints/best</c>), or null when no
    /// checkpoint recorded one.
    /// </summary>
    public static string? Best(string workDir)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workDir);
        string root = Path.Combine(workDir, FolderName);
        return Pointed(root, BestFileName) is { } name ? Path.Combine(root, name) : null;
    }

    /// <summary>The checkpoint folder <c>checkpoints/latest</c> names (not verified), or null when there is none.</summary>
    public static string? Latest(string workDir)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workDir);
        string root = Path.Combine(workDir, FolderName);
        return Pointed(root, LatestFileName) is { } name ? Path.Combine(root, name) : null;
    }

    private static string? Pointed(string root, string pointer)
    {
        string path = Path.Combine(root, pointer);
        if (!File.Exists(path))
            return null;
        string name = File.ReadAllText(path).Trim();
        return name.Length > 0 && name.IndexOfAny(Path.GetInvalidFileNameChars()) < 0 && !name.StartsWith('.') && Directory.Exists(Path.Combine(root, name)) ? name : null;
    }

    /// <summary>The <see cref="BestMetric"/> of the checkpoint <c>best</c> names, or NaN (none, or unreadable).</summary>
    private static double BestScore(string root) => Pointed(root, BestFileName) is { } name ? Score(Path.Combine(root, name)) : double.NaN;

    // The metric as state.json records it (read without hashing the weights: it only ranks checkpoints).
    private static double Score(string folder)
    {
        try
        {
            using var stream = File.OpenRead(Path.Combine(folder, StateFile));
            var record = ReadRecord(stream);
            return record?.State?.Metrics is { } m && m.TryGetValue(BestMetric, out double v) ? v : double.NaN;
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            return double.NaN;
        }
    }

    /// <summary>Points <c>best</c> at the highest-scoring checkpoint left in <paramref name="root"/> (after a rewind), or removes it.</summary>
    private static void RecomputeBest(string root)
    {
        string? best = null;
        double top = double.NegativeInfinity;
        foreach (string name in List(root))
        {
            double score = Score(Path.Combine(root, name));
            if (double.IsFinite(score) && score >= top)
                (best, top) = (name, score);
        }
        if (best is not null)
            PointAt(root, BestFileName, best);
        else
            File.Delete(Path.Combine(root, BestFileName));
    }

    /// <summary>Deletes all but the newest <paramref name="last"/> checkpoints (by epoch), never the ones <c>latest</c> and <c>best</c> name.</summary>
    /// <param name="workDir">Run directory.</param>
    /// <param name="last">Checkpoints to keep, at least 1.</param>
    /// <returns>The deleted folder names.</returns>
    public static IReadOnlyList<string> Keep(string workDir, int last)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workDir);
        if (last < 1)
            throw new ArgumentOutOfRangeException(nameof(last), last, "last must be at least 1.");
        string root = Path.Combine(workDir, FolderName);
        if (!Directory.Exists(root))
            return [];
        string latestFile = Path.Combine(root, LatestFileName);
        string? latest = File.Exists(latestFile) ? File.ReadAllText(latestFile).Trim() : null;
        string? best = Pointed(root, BestFileName);
        var all = List(root);
        var deleted = new List<string>();
        foreach (var name in all.Take(Math.Max(0, all.Count - last)))
        {
            if (name == latest || name == best)
                continue;
            Directory.Delete(Path.Combine(root, name), recursive: true);
            deleted.Add(name);
        }

        return deleted;
    }

    /// <summary>Checkpoint folder names under <paramref name="root"/>, oldest epoch first (temporary folders excluded).</summary>
    private static List<string> List(string root) =>
        [.. Directory.EnumerateDirectories(root, "epoch_*")
            .Select(Path.GetFileName)
            .Where(n => n is not null && int.TryParse(n.AsSpan(6), NumberStyles.None, CultureInfo.InvariantCulture, out _))
            .Select(n => n!)
            .OrderBy(n => int.Parse(n.AsSpan(6), NumberStyles.None, CultureInfo.InvariantCulture))];

    private static StateRecord ReadVerified(string folder)
    {
        string statePath = Path.Combine(folder, StateFile);
        if (!File.Exists(statePath))
            throw new InvalidDataException($"{statePath}: missing (incomplete checkpoint).");
        StateRecord? record;
        try
        {
            using var stream = File.OpenRead(statePath);
            record = ReadRecord(stream);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{statePath}: not valid checkpoint JSON ({e.Message}).", e);
        }

        if (record?.State is null || record.Files is null)
            throw new InvalidDataException($"{statePath}: has no state or file list.");
        foreach (var file in new[] { ModelFile, OptimizerFile })
        {
            string path = Path.Combine(folder, file);
            if (!record.Files.TryGetValue(file, out var expected))
                throw new InvalidDataException($"{statePath}: does not list {file}.");
            if (!File.Exists(path))
                throw new InvalidDataException($"{path}: missing (incomplete checkpoint).");
            var actual = Describe(path);
            if (actual.Bytes != expected.Bytes)
                throw new InvalidDataException($"{path}: {actual.Bytes} bytes, state.json recorded {expected.Bytes} (truncated or corrupt).");
            if (!string.Equals(actual.Sha256, expected.Sha256, StringComparison.OrdinalIgnoreCase))
                throw new InvalidDataException($"{path}: SHA-256 {actual.Sha256} differs from the {expected.Sha256} recorded in state.json (corrupt).");
        }

        return record;
    }

    private static void WriteDurably(string path, Action<Stream> write)
    {
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None);
        write(stream);
        stream.Flush(flushToDisk: true);
    }

    private static FileRecord Describe(string path)
    {
        using var stream = File.OpenRead(path);
        var hash = SHA256.HashData(stream);
        return new FileRecord { Bytes = stream.Length, Sha256 = Convert.ToHexString(hash) };
    }

    private static void TryDeleteDirectory(string path)
    {
        try
        {
            if (Directory.Exists(path))
                Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temporary folder is ignored by readers and removed by the next Save.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private sealed class StateRecord
    {
        public TrainingState? State { get; set; }

        public Dictionary<string, FileRecord>? Files { get; set; }
    }

    private sealed class FileRecord
    {
        public long Bytes { get; set; }

        public string Sha256 { get; set; } = "";
    }
}

/// <summary>
/// A checkpoint that is intact but holds weights of another model (another architecture, width, depth, norm or class
/// count than the one built from the config): the checkpoint is fine, the config changed.
/// </summary>
public sealed class ModelMismatchException : Exception
{
    /// <summary>Creates the error; <paramref name="message"/> names the file.</summary>
    public ModelMismatchException(string message, Exception inner) : base(message, inner)
    {
    }
}
