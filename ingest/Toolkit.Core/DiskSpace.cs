namespace Toolkit.Core;

/// <summary>Recognises the I/O errors that mean a file system is out of space.</summary>
public static class DiskSpace
{
    /// <summary>True when <paramref name="e"/> means the file system has no space (or quota) left.</summary>
    public static bool IsFull(IOException e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return e.HResult is 28 or 122 or 112 or unchecked((int)0x80070070)
            || e.Message.Contains("No space left", StringComparison.OrdinalIgnoreCase)
            || e.Message.Contains("quota", StringComparison.OrdinalIgnoreCase);
    }
}
