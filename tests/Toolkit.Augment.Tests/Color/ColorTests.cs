using OpenCvSharp;
using Toolkit.Augment.Color;
using Toolkit.Augment.Tests.Support;

namespace Toolkit.Augment.Tests.Color;

[Trait("Category", "Unit")]
public sealed class NormalizeTests
{
    [Fact]
    public void Rgb_ReordersToRgbAndAppliesTheImageNetDefaults()
    {
        using var frame = new Mat(2, 3, MatType.CV_8UC3, new Scalar(10, 20, 30)); // B, G, R
        using var clip = new Clip([frame.Clone()], ClipKind.Rgb);

        using var result = new Normalize().Apply(clip, new Random(0));

        Assert.Equal(MatType.CV_32FC3, result.Type);
        var v = Synthetic.Floats(result.Frames[0]);
        Assert.Equal((30 - 123.675) / 58.395, v[0], 5);
        Assert.Equal((20 - 116.28) / 57.12, v[1], 5);
        Assert.Equal((10 - 103.53) / 57.375, v[2], 5);
    }

    [Fact]
    public void Rgb_KeepingBgr_UsesTheReversedDefaults()
    {
        using var frame = new Mat(1, 1, MatType.CV_8UC3, new Scalar(10, 20, 30));
        using var clip = new Clip([frame.Clone()], ClipKind.Rgb);

        using var result = new Normalize(new NormalizeOptions { ToRgb = false }).Apply(clip, new Random(0));

        var v = Synthetic.Floats(result.Frames[0]);
        Assert.Equal((10 - 103.53) / 57.375, v[0], 5);
        Assert.Equal((30 - 123.675) / 58.395, v[2], 5);
    }

    [Fact]
    public void Flow_ZeroMotionBecomesZero()
    {
        using var frame = Synthetic.FromBytes(1, 3, MatType.CV_8UC2, [128, 128, 0, 255, 192, 64]);
        using var clip = new Clip([frame.Clone()], ClipKind.Flow);

        using var result = new Normalize().Apply(clip, new Random(0));

        Assert.Equal(MatType.CV_32FC2, result.Type);
        Assert.Equal([0f, 0f, -1f, 127f / 128, 0.5f, -0.5f], Synthetic.Floats(result.Frames[0]));
    }

    [Fact]
    [Trait("Category", "Failure")]
    public void Twice_IsRefused()
    {
        using var clip = Synthetic.Coordinates(4, 4, 1);
        using var once = new Normalize().Apply(clip, new Random(0));

        var e = Assert.Throws<Core.ToolkitError>(() => new Normalize().Apply(once, new Random(0)));
        Assert.Contains("needs 8-bit frames", e.Message);
    }

    [Fact]
    [Trait("Category", "Failure")]
    public void NonPositiveStd_IsRefused()
    {
        var e = Assert.Throws<Core.ToolkitError>(() => new Normalize(new NormalizeOptions { Mean = [0, 0, 0], Std = [1, 0, 1] }));
        Assert.Equal("Normalize.Std", e.Subject);
    }
}

[Trait("Category", "Unit")]
public sealed class ColorJitterTests
{
    [Fact]
    public void Brightness_ScalesAndSaturates()
    {
        using var frame = new Mat(2, 2, MatType.CV_8UC3, new Scalar(10, 100, 200));
        using var clip = new Clip([frame.Clone()], ClipKind.Rgb);
        var p = new ColorJitterParams(1.5, 1, 1, 0, [0, 1, 2, 3]);

        using var result = new ColorJitter().Apply(clip, p);

        Assert.All(Synthetic.Bytes(result.Frames[0]).Chunk(3), px => Assert.Equal([15, 150, 255], px));
    }

    [Fact]
    public void Saturation_Zero_GivesGray()
    {
        using var clip = Synthetic.Noise(8, 8, 1, seed: 3);
        var p = new ColorJitterParams(1, 1, 0, 0, [2, 0, 1, 3]);

        using var result = new ColorJitter().Apply(clip, p);

        Assert.All(Synthetic.Bytes(result.Frames[0]).Chunk(3), px => Assert.True(px[0] == px[1] && px[1] == px[2]));
    }

    [Fact]
    public void Contrast_Zero_GivesTheMeanGray()
    {
        using var frame = Synthetic.FromBytes(1, 2, MatType.CV_8UC3, [0, 0, 0, 200, 200, 200]);
        using var clip = new Clip([frame.Clone()], ClipKind.Rgb);

        using var result = new ColorJitter().Apply(clip, new ColorJitterParams(1, 0, 1, 0, [1, 0, 2, 3]));

        Assert.All(Synthetic.Bytes(result.Frames[0]), b => Assert.Equal(100, b));
    }

    [Fact]
    public void HueHalfTurn_TwiceIsTheIdentityOnPureColours()
    {
        using var frame = Synthetic.FromBytes(1, 3, MatType.CV_8UC3, [255, 0, 0, 0, 255, 0, 0, 0, 255]);
        using var clip = new Clip([frame.Clone()], ClipKind.Rgb);
        var half = new ColorJitterParams(1, 1, 1, 0.5, [3, 0, 1, 2]);
        var t = new ColorJitter();

        using var once = t.Apply(clip, half);
        using var twice = t.Apply(once, half);

        Assert.Equal([0, 255, 255, 255, 0, 255, 255, 255, 0], Synthetic.Bytes(once.Frames[0])); // blue → yellow, green → magenta, red → cyan
        Assert.True(Synthetic.SamePixels(clip, twice));
    }

    [Fact]
    public void Sample_FactorsWithinRangeAndOrderIsAPermutation()
    {
        var t = new ColorJitter(new ColorJitterOptions { Brightness = 0.2, Contrast = 0.3, Saturation = 0.4, Hue = 0.05 });
        var rng = new Random(1);
        var info = ClipInfo.Original(8, 8, 1, ClipKind.Rgb);
        for (int i = 0; i < 1000; i++)
        {
            var p = t.SampleParams(info, rng);
            Assert.InRange(p.Brightness, 0.8, 1.2);
            Assert.InRange(p.Contrast, 0.7, 1.3);
            Assert.InRange(p.Saturation, 0.6, 1.4);
            Assert.InRange(p.Hue, -0.05, 0.05);
            Assert.Equal([0, 1, 2, 3], p.Order.Order());
        }
    }

    [Fact]
    [Trait("Category", "Failure")]
    public void Flow_IsRefused()
    {
        var e = Assert.Throws<Core.ToolkitError>(() => new ColorJitter().SampleParams(ClipInfo.Original(8, 8, 1, ClipKind.Flow), new Random(0)));
        Assert.Contains("flow", e.Message);
    }
}
