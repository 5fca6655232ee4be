using Toolkit.Core;
namespace Toolkit.Augment.Sampling;

/// <summary>The few draws the transforms need, on a caller's <see cref="Random"/> (never a shared or unseeded one).</summary>
public static class RandomExtensions
{
    /// <summary>Uniform in [<paramref name="min"/>, <paramref name="max"/>).</summary>
    public static double Uniform(this Random rng, double min, double max) => min + (max - min) * rng.NextDouble();

    /// <summary>Uniform integer in [<paramref name="min"/>, <paramref name="max"/>], both inclusive.</summary>
    public static int NextInclusive(this Random rng, int min, int max) => rng.Next(min, max + 1);

    /// <summary>True with probability <paramref name="p"/>.</summary>
    public static bool Bernoulli(this Random rng, double p) => rng.NextDouble() < p;
}

/// <summary>
/// Per-clip seeds that depend only on (run seed, epoch, sample id), never on processing order, so a clip gets the
/// same augmentation whatever worker handles it and in whatever order.
/// </summary>
public static class ClipSeed
{
    /// <summary>A 31-bit seed mixed from the three ids with SplitMix64 (stable across processes and .NET versions).</summary>
    public static int For(long runSeed, int epoch, long sampleId) => (int)(Seeds.Mix(runSeed, epoch, sampleId) >> 33);

    /// <summary>A fresh RNG for one clip.</summary>
    public static Random Rng(long runSeed, int epoch, long sampleId) => new(For(runSeed, epoch, sampleId));
}
