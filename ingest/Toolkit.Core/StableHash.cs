using System.Text;

namespace Toolkit.Core;

/// <summary>
/// A hash that never changes across processes, machines or .NET versions (unlike <see cref="string.GetHashCode()"/>),
/// used where a decision must be reproducible everywhere, such as assigning a video to a shard.
/// Written by hand because it is FNV-1a 64 over UTF-8, a handful of lines, and must stay byte-for-byte fixed.
/// </summary>
public static class StableHash
{
    /// <summary>FNV-1a 64-bit hash of the UTF-8 bytes of <paramref name="text"/>.</summary>
    public static ulong Of(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        const ulong offset = 14695981039346656037UL;
        const ulong prime = 1099511628211UL;
        ulong hash = offset;
        foreach (byte b in Encoding.UTF8.GetBytes(text))
        {
            hash ^= b;
            hash *= prime;
        }
        return hash;
    }
}
