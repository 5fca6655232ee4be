using System.Globalization;

namespace Toolkit.Core;

/// <summary>
/// Checks a planned allocation against the memory this process may use before anything is allocated, so an oversized
/// option fails at once with its numbers instead of growing until the machine swaps or the kernel kills the run.
/// </summary>
public static class MemoryBudget
{
    /// <summary>The share of <see cref="Available"/> one planned working set may take.</summary>
    public const double Share = 0.5;

    /// <summary>Memory this process may use: physical memory, or the container's (cgroup) limit where lower.</summary>
    public static long Available => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;

    /// <summary>
    /// Throws a <see cref="ToolkitError"/> about <paramref name="subject"/> when <paramref name="bytes"/> is more than
    /// <see cref="Share"/> of <see cref="Available"/> (or of <paramref name="available"/> when given).
    /// </summary>
    /// <param name="subject">The option or file the error names.</param>
    /// <param name="bytes">The planned bytes (a double, so products of large options cannot overflow).</param>
    /// <param name="what">What needs them, e.g. "10 batches of 8 × 3 × 100000 × 224² float32".</param>
    /// <param name="hint">What to lower.</param>
    /// <param name="available">Memory to judge against (tests); null uses <see cref="Available"/>.</param>
    public static void Require(string subject, double bytes, string what, string hint, long? available = null)
    {
        long limit = available ?? Available;
        if (bytes > Share * limit)
            throw new ToolkitError(subject, $"{what} need about {Format(bytes)}, more than half of the {Format(limit)} of memory available", hint);
    }

    /// <summary>Bytes as a short human-readable size (KB, MB, GB, TB; powers of 1024).</summary>
    public static string Format(double bytes)
    {
        string[] units = ["bytes", "KB", "MB", "GB", "TB", "PB"];
        int unit = 0;
        while (bytes >= 1024 && unit < units.Length - 1)
        {
            bytes /= 1024;
            unit++;
        }
        return unit == 0 ? string.Create(CultureInfo.InvariantCulture, $"{bytes:0} bytes") : string.Create(CultureInfo.InvariantCulture, $"{bytes:0.#} {units[unit]}");
    }
}
