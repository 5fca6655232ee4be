using Toolkit.Augment.Pipeline;
using Xunit.Abstractions;
using Toolkit.Augment.Tensors.Clips;
using Toolkit.Augment.Tests.Support;
using static TorchSharp.torch;

namespace Toolkit.Augment.Tests.Tensors.Clips;

/// <summary>The tensor path replays the OpenCV path's recorded parameters and agrees within <see cref="ClipTensors.Tolerance"/> per resize.</summary>
[Trait("Category", "Unit")]
public sealed class ClipTensorsTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("rrc", 2, 480, 360)]
    [InlineData("rrc", 1, 340, 256)]       // the first resize keeps 340x256
    [InlineData("rescale", 1, 340, 256)]
    [InlineData("center224@256", 1, 340, 256)]
    [InlineData("center224@256", 1, 320, 240)]
    [InlineData("resize224", 1, 340, 256)]
    public void NamedRecipe_TensorPathMatchesOpenCv(string name, int resizes, int width, int height)
    {
        using var clip = SmoothClip(width, height, 3, seed: 1);
        var recipe = Recipes.Get(name);
        for (int seed = 0; seed < 4; seed++)
        {
            using var cpu = recipe.Run(clip, new Random(seed));
            using var input = ClipTensors.FromClip(clip);
            using var expected = ClipTensors.FromClip(cpu);

            using var actual = ClipTensors.Replay(input, ClipKind.Rgb, cpu.Applied);

            Assert.Equal(expected.shape, actual.shape);
            using var diff = (actual - expected).abs();
            double max = diff.max().item<float>(), mean = diff.mean().item<float>();
            output.WriteLine($"{name} {width}x{height} seed {seed}: max |diff| {max:F3}, mean |diff| {mean:F4}");
            Assert.True(max <= ClipTensors.Tolerance * resizes, $"{name} seed {seed}: max |diff| {max} > {ClipTensors.Tolerance * resizes}");
            Assert.True(mean <= 0.3 * resizes, $"{name} seed {seed}: mean |diff| {mean}");
        }
    }

    [Fact]
    public void FlipAndNormalize_MatchOpenCvExactlyUpToFloatRounding()
    {
        using var clip = Synthetic.Noise(40, 30, 2, seed: 3);
        var recipe = ClipPipeline.Build(x => x.RandomCrop(24).Flip(1).Normalize());

        using var cpu = recipe.Run(clip, new Random(1));
        using var input = ClipTensors.FromClip(clip);
        using var expected = ClipTensors.FromClip(cpu);
        using var actual = ClipTensors.Replay(input, ClipKind.Rgb, cpu.Applied);

        Assert.True(actual.allclose(expected, rtol: 0, atol: 1e-5));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void FlowFlip_InvertsXOnBothPaths(bool normalizeFirst)
    {
        using var clip = Synthetic.Flow(20, 10, 2);
        var recipe = normalizeFirst
            ? ClipPipeline.Build(x => x.Normalize().Flip(1))
            : ClipPipeline.Build(x => x.Flip(1));

        using var cpu = recipe.Run(clip, new Random(0));
        using var input = ClipTensors.FromClip(clip);
        using var expected = ClipTensors.FromClip(cpu);
        using var actual = ClipTensors.Replay(input, ClipKind.Flow, cpu.Applied);

        Assert.True(actual.allclose(expected, rtol: 0, atol: 1e-6));
        // x channel: 255 − v (quantized) or −(v − 128)/128 (normalized); y: mirrored only.
        using var xIn = input[0].flip(-1);
        using var xOut = actual[0];
        using var want = normalizeFirst ? -(xIn - 128) / 128 : 255 - xIn;
        Assert.True(xOut.allclose(want, rtol: 0, atol: 1e-6));
    }

    [Fact]
    public void Replay_DoesNotChangeTheInputTensor()
    {
        using var clip = Synthetic.Noise(64, 48, 2, seed: 4);
        using var cpu = Recipes.Get("rrc").Run(clip, new Random(2));
        using var input = ClipTensors.FromClip(clip);
        using var before = input.clone();

        using var _ = ClipTensors.Replay(input, ClipKind.Rgb, cpu.Applied);

        Assert.True(input.eq(before).all().item<bool>());
    }

    [Fact]
    [Trait("Category", "Failure")]
    public void MultiCrop_HasNoTensorPath()
    {
        using var clip = Synthetic.Noise(64, 48, 1, seed: 4);
        using var cpu = ClipPipeline.Build(x => x.ThreeCrop(32)).Run(clip, new Random(0));
        using var input = ClipTensors.FromClip(clip);

        var e = Assert.Throws<Core.ToolkitError>(() => ClipTensors.Replay(input, ClipKind.Rgb, cpu.Applied));
        Assert.Contains("ThreeCrop has no tensor path", e.Message);
    }

    /// <summary>Noise blurred to natural-image smoothness (random noise exaggerates rounding differences in resizes).</summary>
    private static Clip SmoothClip(int w, int h, int frames, int seed)
    {
        using var noise = Synthetic.Noise(w, h, frames, seed);
        var blurred = noise.Frames.Select(f =>
        {
            var d = new OpenCvSharp.Mat();
            OpenCvSharp.Cv2.GaussianBlur(f, d, new OpenCvSharp.Size(0, 0), 2.0);
            return d;
        }).ToList();
        return new Clip(blurred, ClipKind.Rgb);
    }
}
