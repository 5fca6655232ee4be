namespace Toolkit.Ingest.Output;

/// <summary>
/// What identifies a source file's content cheaply: size, modification time and inode (of the final target of a
/// link). Taken before a video is probed and again when it is committed: any difference means the file was replaced
/// or rewritten while it was read, and the video is not recorded as complete.
/// </summary>
/// <param name="Size">Bytes.</param>
/// <param name="MtimeMs">Modification time, Unix milliseconds (UTC).</param>
/// <param name="Inode">Inode number, 0 where it cannot be read.</param>
public readonly record struct SourceIdentity(long Size, long MtimeMs, ulong Inode)
{
    /// <summary>The identity of <paramref name="path"/> now; null when it does not exist.</summary>
    public static SourceIdentity? Of(string path)
    {
        var info = OutputStore.SourceFile(path);
        info.Refresh();
        if (!info.Exists)
            return null;
        return new SourceIdentity(info.Length, info.LastWriteTimeUtc.ToUnixTimeMilliseconds(), Toolkit.Ingest.Discovery.FileIdentity.Of(info.FullName)?.Inode ?? 0);
    }

    /// <summary>One line for a message: <c>size 1234, mtime 2026-12-06T03:00:00.000Z, inode 42</c>.</summary>
    public override string ToString() =>
        FormattableString.Invariant($"size {Size}, mtime {DateTimeOffset.FromUnixTimeMilliseconds(MtimeMs):yyyy-MM-ddTHH:mm:ss.fffZ}, inode {Inode}");
}
