using Toolkit.Augment.Pipeline;
using Toolkit.Augment.Sampling;
using Toolkit.Augment.Tests.Support;

namespace Toolkit.Augment.Tests.Sampling;

[Trait("Category", "Unit")]
public sealed class ClipSeedTests
{
    /// <summary>
    /// Values from an independent SplitMix64 written in Python (z = mix(run); z = mix(z ^ epoch); z = mix(z ^ id);
    /// seed = z &gt;&gt; 33): the seeds, and so every augmentation, must never change between versions or machines.
    /// </summary>
    [Theory]
    [InlineData(0, 0, 0, 297876190)]
    [InlineData(1, 0, 0, 1489305978)]
    [InlineData(1, 0, 1, 908839664)]
    [InlineData(1, 3, 7, 1018720408)]
    [InlineData(-5, 2, 123456789012, 2045419752)]
    public void For_MatchesTheReferenceSplitMix(long run, int epoch, long id, int expected)
    {
        Assert.Equal(expected, ClipSeed.For(run, epoch, id));
    }

    [Fact]
    public void Augmentation_DependsOnTheClipNotOnTheOrderOrThread()
    {
        using var clip = Synthetic.Noise(340, 256, 2, seed: 3);
        var recipe = Recipes.Get("rrc");
        var sequential = Enumerable.Range(0, 16).Select(i =>
        {
            using var r = recipe.Run(clip, ClipSeed.Rng(9, 1, i));
            return r.SourceRegion;
        }).ToArray();

        var parallel = new Toolkit.Augment.Geometry.RectD[16];
        Parallel.For(0, 16, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            int id = 15 - i; // reversed order, several threads
            using var r = recipe.Run(clip, ClipSeed.Rng(9, 1, id));
            parallel[id] = r.SourceRegion;
        });

        Assert.Equal(sequential, parallel);
        Assert.True(sequential.Distinct().Count() > 12);
    }
}
