using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text.Json;
using Toolkit.Trainers.Abstractions;
using TorchSharp;

namespace Toolkit.Trainers.Hosting;

/// <summary>
/// What a training run was started with: toolkit version and commit, the command line, the plugin, TorchSharp and
/// libtorch, the device, the seed, the resolved config (every default filled in) and the SHA-256 of its data lists.
/// Written at every start to <c>WORK_DIR/run.json</c> (and appended to <c>WORK_DIR/runs.jsonl</c>, one line per start);
/// a resumed run compares it with the previous start and says what changed, so a curve that bends at a resume can be
/// traced to its cause.
/// </summary>
public sealed record RunRecord
{
    /// <summary>File name of the latest start's record.</summary>
    public const string FileName = "run.json";

    /// <summary>File name of every start's record, one JSON line each.</summary>
    public const string HistoryFileName = "runs.jsonl";

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // "1.0.0+sha", not "1.0.0\u002Bsha": a file people read
    };

    /// <summary>When the run started (UTC).</summary>
    public required DateTimeOffset Started { get; init; }

    /// <summary>The toolkit's version and commit (<c>1.0.0+sha</c>: the commit its command-line assembly was last compiled at).</summary>
    public required string Toolkit { get; init; }

    /// <summary>The command line.</summary>
    public required IReadOnlyList<string> CommandLine { get; init; }

    /// <summary>The plugin's name.</summary>
    public required string Plugin { get; init; }

    /// <summary>The plugin's version.</summary>
    public required string PluginVersion { get; init; }

    /// <summary>The trainer contract version.</summary>
    public required int Contract { get; init; }

    /// <summary>TorchSharp's version.</summary>
    public required string TorchSharp { get; init; }

    /// <summary>libtorch's version.</summary>
    public required string Libtorch { get; init; }

    /// <summary>The device trained on.</summary>
    public required string Device { get; init; }

    /// <summary>The run seed.</summary>
    public required long Seed { get; init; }

    /// <summary>The resolved config: the file's values and every default, in the config file's own key names.</summary>
    public required JsonElement Config { get; init; }

    /// <summary>Config key of each data list (<c>data.train</c>, <c>data.val</c>, <c>data.label_map</c>) → <c>sha256:…</c> of its contents.</summary>
    public required IReadOnlyDictionary<string, string> Data { get; init; }

    /// <summary>The record of this start.</summary>
    public static RunRecord Capture(LoadedPlugin plugin, TrainingConfig config, torch.Device device)
    {
        ArgumentNullException.ThrowIfNull(plugin);
        ArgumentNullException.ThrowIfNull(config);
        var entry = Assembly.GetEntryAssembly() ?? typeof(RunRecord).Assembly;
        var data = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["data.train"] = Hash(config.Data.Train) };
        if (config.Data.Val is { } val)
            data["data.val"] = Hash(val);
        if (config.Data.LabelMap is { } map)
            data["data.label_map"] = Hash(map);
        return new RunRecord
        {
            Started = DateTimeOffset.UtcNow,
            Toolkit = Version(entry),
            CommandLine = Environment.GetCommandLineArgs(),
            Plugin = plugin.Name,
            PluginVersion = plugin.Descriptor.Version.ToString(),
            Contract = TrainerContract.Version,
            TorchSharp = Version(typeof(torch).Assembly),
            Libtorch = torch.__version__,
            Device = device.ToString(),
            Seed = config.Seed,
            Config = JsonSerializer.SerializeToElement(
                config.Trainer.ValueKind == JsonValueKind.Undefined ? config with { Trainer = JsonDocument.Parse("{}").RootElement } : config,
                TrainingConfig.Json),
            Data = data,
        };
    }

    /// <summary>The record of the previous start in <paramref name="workDir"/>, or null when there is none (or it is unreadable).</summary>
    public static RunRecord? Read(string workDir)
    {
        string path = Path.Combine(workDir, FileName);
        if (!File.Exists(path))
            return null;
        try
        {
            return JsonSerializer.Deserialize<RunRecord>(File.ReadAllText(path), Json);
        }
        catch (Exception e) when (e is JsonException or IOException or NotSupportedException)
        {
            return null;
        }
    }

    /// <summary>The resolved config alone (every default filled in), beside run.json: what <c>toolkit train --config</c> takes to rerun.</summary>
    public const string ConfigFileName = "config.json";

    /// <summary>
    /// Writes <c>run.json</c> and <c>config.json</c> (each through a temporary file and a rename) and appends a line to
    /// <c>runs.jsonl</c>.
    /// </summary>
    public void Write(string workDir)
    {
        Restore(workDir);
        var line = new JsonSerializerOptions(Json) { WriteIndented = false };
        File.AppendAllText(Path.Combine(workDir, HistoryFileName), JsonSerializer.Serialize(this, line) + "\n");
    }

    /// <summary>Writes this record as the work dir's current start (run.json, config.json), without a history line: puts back a start a failed resume replaced.</summary>
    public void Restore(string workDir)
    {
        string path = Path.Combine(workDir, FileName);
        string temp = path + ".tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(this, Json) + "\n");
        File.Move(temp, path, overwrite: true);
        string config = Path.Combine(workDir, ConfigFileName);
        File.WriteAllText(config + ".tmp", JsonSerializer.Serialize(Config, Json) + "\n");
        File.Move(config + ".tmp", config, overwrite: true);
    }

    /// <summary>
    /// What differs between <paramref name="before"/> and this start, one phrase each (<c>data.batch: 8 → 16</c>), in
    /// a stable order; the start time and command line are not compared.
    /// </summary>
    public IReadOnlyList<string> ChangesSince(RunRecord before)
    {
        ArgumentNullException.ThrowIfNull(before);
        var changes = new List<string>();
        void Compare(string what, string? a, string? b)
        {
            if (!string.Equals(a, b, StringComparison.Ordinal))
                changes.Add($"{what}: {a ?? "unset"} → {b ?? "unset"}");
        }
        Compare("toolkit", before.Toolkit, Toolkit);
        Compare("plugin", $"{before.Plugin} {before.PluginVersion}", $"{Plugin} {PluginVersion}");
        Compare("TorchSharp", before.TorchSharp, TorchSharp);
        Compare("libtorch", before.Libtorch, Libtorch);
        Compare("device", before.Device, Device);
        Compare("seed", before.Seed.ToString(CultureInfo.InvariantCulture), Seed.ToString(CultureInfo.InvariantCulture));
        var was = Flatten(before.Config);
        var now = Flatten(Config);
        foreach (string key in was.Keys.Union(now.Keys).Order(StringComparer.Ordinal))
            Compare(key, was.GetValueOrDefault(key), now.GetValueOrDefault(key));
        foreach (string key in before.Data.Keys.Union(Data.Keys).Order(StringComparer.Ordinal))
        {
            string? a = before.Data.GetValueOrDefault(key), b = Data.GetValueOrDefault(key);
            if (a is not null && b is not null && a != b)
                changes.Add($"{key}: the list's contents changed ({a[..Math.Min(a.Length, 19)]}… → {b[..Math.Min(b.Length, 19)]}…)");
        }
        return changes;
    }

    private static Dictionary<string, string> Flatten(JsonElement element)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        void Walk(JsonElement e, string prefix)
        {
            if (e.ValueKind == JsonValueKind.Object)
            {
                foreach (var p in e.EnumerateObject())
                    Walk(p.Value, prefix.Length == 0 ? p.Name : $"{prefix}.{p.Name}");
            }
            else if (e.ValueKind != JsonValueKind.Undefined)
            {
                result[prefix] = e.GetRawText();
            }
        }
        Walk(element, "");
        return result;
    }

    private static string Hash(string path)
    {
        using var stream = File.OpenRead(path);
        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private static string Version(Assembly assembly) =>
        assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? assembly.GetName().Version?.ToString() ?? "unknown";
}
