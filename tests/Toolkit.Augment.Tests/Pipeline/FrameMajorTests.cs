using Toolkit.Augment.Pipeline;
using Toolkit.Augment.Tests.Support;

namespace Toolkit.Augment.Tests.Pipeline;

/// <summary>The frame-at-a-time run (all kernels per frame, crops as views) equals running the transforms one after another.</summary>
[Trait("Category", "Unit")]
public sealed class FrameMajorTests
{
    public static TheoryData<string, ClipKind> Recipes() => new()
    {
        { "rrc", ClipKind.Rgb },
        { "rescale", ClipKind.Rgb },
        { "center224@256", ClipKind.Rgb },
        { "train-full", ClipKind.Rgb },
        { "flow-train", ClipKind.Flow },
        { "crop-last", ClipKind.Flow },
    };

    private static ClipPipeline Make(string name) => name switch
    {
        "train-full" => ClipPipeline.Build(x => x.RandomRescale(256, 320).RandomResizedCrop().Resize(224, 224).Flip(0.5).ColorJitter().Normalize()),
        "flow-train" => ClipPipeline.Build(x => x.MultiScaleCrop().Resize(224, 224).Flip(0.5).Normalize()),
        "crop-last" => ClipPipeline.Build(x => x.Flip(0.5).RandomCrop(100)),
        _ => Toolkit.Augment.Pipeline.Recipes.Get(name),
    };

    [Theory]
    [MemberData(nameof(Recipes))]
    public void FrameMajor_EqualsStepByStep(string name, ClipKind kind)
    {
        using var clip = Synthetic.Noise(340, 256, 3, seed: 9, kind);
        var before = Synthetic.Snapshot(clip);
        var pipeline = Make(name);
        for (int seed = 0; seed < 6; seed++)
        {
            using var fast = pipeline.Run(clip, new Random(seed));
            using var reference = pipeline.RunStepByStep(clip, new Random(seed));

            Assert.True(Synthetic.SamePixels(reference, fast), $"{name} seed {seed}: pixels differ");
            Assert.Equal(reference.Applied, fast.Applied);
            Assert.Equal(reference.Map, fast.Map);
            Assert.All(fast.Frames, f => Assert.True(f.IsContinuous(), "a crop view leaked out of the pipeline"));
        }
        Assert.Equal(before, Synthetic.Snapshot(clip));
    }

    [Fact]
    [Trait("Category", "Failure")]
    public void JitterAfterNormalize_IsRefusedOnTheFrameMajorPathToo()
    {
        using var clip = Synthetic.Noise(64, 48, 2, seed: 1);
        var pipeline = ClipPipeline.Build(x => x.Normalize().ColorJitter());

        var e = Assert.Throws<Core.ToolkitError>(() => pipeline.Run(clip, new Random(0)));
        Assert.Contains("apply ColorJitter before Normalize", e.Message);
    }
}
