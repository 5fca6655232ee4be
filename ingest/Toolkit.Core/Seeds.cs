namespace Toolkit.Core;

/// <summary>
/// Seeds derived from ids, never from processing order: the same (run seed, epoch, id) gives the same seed in every
/// process, on every worker and .NET version. Used for clip augmentation, per-batch mixup and per-layer dropout.
/// </summary>
public static class Seeds
{
    /// <summary>A 64-bit seed mixed from the three ids with chained SplitMix64.</summary>
    public static ulong Mix(long runSeed, int epoch, long id)
    {
        ulong z = SplitMix((ulong)runSeed);
        z = SplitMix(z ^ (ulong)(uint)epoch);
        return SplitMix(z ^ (ulong)id);
    }

    private static ulong SplitMix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
