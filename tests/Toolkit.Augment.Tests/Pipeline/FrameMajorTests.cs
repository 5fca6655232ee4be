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

    /// <summary>
    /// What a decoder that makes only the first crop relies on: the box LeadingCrop names, cut out of the frames, run
    /// from the transform after it with the same parameters, gives Run's pixels.
    /// </summary>
    [Theory]
    [InlineData("rrc")]          // Resize(-1, 256) keeps 340 x 256, then RandomResizedCrop
    [InlineData("center224@256")]
    [InlineData("rrc-flip")]
    public void LeadingCrop_CutOut_ThenRunWith_EqualsRun(string name)
    {
        using var clip = Synthetic.Noise(340, 256, 3, seed: 4);
        var pipeline = name == "rrc-flip"
            ? ClipPipeline.Build(x => x.Resize(-1, 256).RandomResizedCrop().Resize(112, 112).Flip(0.5).ColorJitter())
            : Make(name);
        for (int seed = 0; seed < 8; seed++)
        {
            using var reference = pipeline.Run(clip, new Random(seed));
            var parameters = pipeline.SampleOnly(clip.Info, new Random(seed));
            var crop = ClipPipeline.LeadingCrop(parameters, clip.Info);
            Assert.NotNull(crop);
            using var cut = new Clip(clip.Frames.Select(f => new OpenCvSharp.Mat(f, crop.Value.Box.ToRect()).Clone()), clip.Kind);
            using var rest = pipeline.RunWith(cut, parameters, crop.Value.Next);
            Assert.True(Synthetic.SamePixels(reference, rest), $"{name} seed {seed}: pixels differ");
            using var whole = pipeline.RunWith(clip, parameters, 0);
            Assert.True(Synthetic.SamePixels(reference, whole), $"{name} seed {seed}: RunWith from 0 differs from Run");
            Assert.Equal(reference.Applied, whole.Applied);
        }
    }

    [Fact]
    public void LeadingCrop_IsNull_WhenPixelsChangeBeforeTheCrop()
    {
        using var clip = Synthetic.Noise(340, 256, 2, seed: 4);
        foreach (var pipeline in new[]
        {
            ClipPipeline.Build(x => x.Resize(-1, 128).RandomResizedCrop().Resize(112, 112)), // the size changes first
            ClipPipeline.Build(x => x.Flip(0.5).RandomCrop(100)),                           // a flip first
            ClipPipeline.Build(x => x.Resize(224, 224)),                                   // no crop at all
        })
        {
            Assert.Null(ClipPipeline.LeadingCrop(pipeline.SampleOnly(clip.Info, new Random(1)), clip.Info));
        }
        // Nothing left to run: copies the caller owns, not the input's frames.
        var crop = ClipPipeline.Build(x => x.CenterCrop(100));
        var parameters = crop.SampleOnly(clip.Info, new Random(0));
        using (var copy = crop.RunWith(clip, parameters, 1))
        {
            Assert.True(Synthetic.SamePixels(clip, copy));
            Assert.All(copy.Frames, f => Assert.DoesNotContain(f, clip.Frames));
        }
        Assert.Throws<ArgumentException>(() => crop.RunWith(clip, [], 0));
    }
}
