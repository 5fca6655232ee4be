using System.Globalization;
using Toolkit.Core;

namespace Toolkit.Ingest.Discovery;

/// <summary>
/// Shard <see cref="Index"/> of <see cref="Count"/>: a deterministic partition of the input by a stable hash of each
/// video's key (its path relative to the source), so every machine of an array job agrees on who converts what,
/// and a video never changes shard when others are added or removed.
/// </summary>
public sealed record ShardSpec(int Index, int Count)
{
    /// <summary>The whole input in one shard.</summary>
    public static ShardSpec Single { get; } = new(0, 1);

    /// <summary>Parses <c>I/N</c> with 0 &lt;= I &lt; N (e.g. <c>$SLURM_ARRAY_TASK_ID/16</c>).</summary>
    public static ShardSpec Parse(string text)
    {
        var parts = text.Split('/');
        if (parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int i)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int n)
            && n is >= 1 and <= 1_000_000 && i < n)
        {
            return new ShardSpec(i, n);
        }
        throw new ToolkitError("ShardSpec", $"'{text}' is not a shard", "Write it as INDEX/COUNT with 0 <= INDEX < COUNT, e.g. 3/16");
    }

    /// <summary>True when the video with this key belongs to this shard.</summary>
    public bool Owns(string key) => Count == 1 || (int)(StableHash.Of(key) % (ulong)Count) == Index;

    /// <summary>A file-name-safe tag, e.g. <c>00003-of-00016</c>.</summary>
    public string Tag => $"{Index:D5}-of-{Count:D5}";

    /// <inheritdoc/>
    public override string ToString() => $"{Index}/{Count}";
}
