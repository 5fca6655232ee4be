using System.Runtime.InteropServices;

namespace Toolkit.Core;

/// <summary>
/// glibc's heap thresholds, for the native allocations the toolkit makes in bulk (OpenCV frames in the loaders,
/// libtorch tensors in the trainers). Only with glibc on Linux; elsewhere every call does nothing and returns false.
/// </summary>
/// <remarks>
/// By default glibc maps every allocation above a sliding threshold (128 KiB at first) on its own and gives the top of
/// the heap back to the kernel whenever more than twice that threshold is free there. A loader that allocates and frees
/// a few hundred KiB per frame, hundreds of frames a second on each thread, then spends its time in page faults: the
/// kernel maps, zeroes and unmaps the same memory over and over (measured in issue 22: about a fifth of the loader's
/// CPU time). <see cref="UseSteadyThresholds"/> fixes the thresholds where glibc's own sliding threshold ends up in a
/// long training process (its maximum, 32 MiB) and keeps 64 MiB of free heap top before trimming.
/// </remarks>
public static class NativeHeap
{
    /// <summary>Allocations at or above this size are mapped on their own by <see cref="UseSteadyThresholds"/>.</summary>
    public const int SteadyMmapThreshold = 32 << 20;

    /// <summary>Free memory at the heap's top kept before it is returned to the kernel, by <see cref="UseSteadyThresholds"/>.</summary>
    public const int SteadyTrimThreshold = 64 << 20;

    private const int MmapThresholdParameter = -3; // M_MMAP_THRESHOLD
    private const int TrimThresholdParameter = -1; // M_TRIM_THRESHOLD

    /// <summary>True where the process runs on glibc, whose thresholds these calls set.</summary>
    public static bool Available { get; } = OperatingSystem.IsLinux() && IsGlibc();

    /// <summary>Sets the steady thresholds (process-wide, idempotent). False where glibc is absent or refuses.</summary>
    public static bool UseSteadyThresholds() =>
        SetMmapThreshold(SteadyMmapThreshold) && SetTrimThreshold(SteadyTrimThreshold);

    /// <summary>Sets glibc's mmap threshold (M_MMAP_THRESHOLD), which also stops it sliding. False where glibc is absent or refuses.</summary>
    public static bool SetMmapThreshold(int bytes) => Available && mallopt(MmapThresholdParameter, bytes) == 1;

    /// <summary>Sets glibc's trim threshold (M_TRIM_THRESHOLD). False where glibc is absent or refuses.</summary>
    public static bool SetTrimThreshold(int bytes) => Available && mallopt(TrimThresholdParameter, bytes) == 1;

    private static bool IsGlibc()
    {
        try
        {
            return gnu_get_libc_version() != IntPtr.Zero;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [DllImport("libc.so.6")]
    private static extern IntPtr gnu_get_libc_version();

    [DllImport("libc.so.6")]
    private static extern int mallopt(int param, int value);
}
