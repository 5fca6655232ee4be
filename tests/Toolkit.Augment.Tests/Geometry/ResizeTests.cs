using OpenCvSharp;
using Toolkit.Augment.Geometry;
using Toolkit.Augment.Tests.Support;

namespace Toolkit.Augment.Tests.Geometry;

[Trait("Category", "Unit")]
public sealed class ResizeTests
{
    [Theory]
    [InlineData(340, 256, 256, 340, 256)]
    [InlineData(320, 240, 256, 341, 256)]   // 320 · 256/240 = 341.33 → 341
    [InlineData(240, 320, 256, 256, 341)]
    [InlineData(455, 256, 224, 398, 224)]   // 398.125
    [InlineData(171, 128, 256, 342, 256)]   // 341.99.. + 0.5 → 342 (mmcv's int(x + 0.5))
    public void ShortSide_RoundsAsMmcvRescaleSize(int w, int h, int side, int ew, int eh)
    {
        var p = new Resize(-1, side).SampleParams(ClipInfo.Original(w, h, 1, ClipKind.Rgb), new Random(0));

        Assert.Equal(new ResizeParams(ew, eh), p);
    }

    [Fact]
    public void ExactSize_IgnoresTheRatio()
    {
        using var clip = Synthetic.Coordinates(100, 60);

        using var result = new Resize(224, 224).Apply(clip, new Random(0));

        Assert.Equal((224, 224), (result.Width, result.Height));
        Assert.Equal(new RectD(0, 0, 100, 60), result.SourceRegion);
    }

    [Fact]
    public void NearestDoubling_RepeatsEveryPixelExactly()
    {
        byte[] data = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120]; // 2x2 BGR
        using var frame = Synthetic.FromBytes(2, 2, MatType.CV_8UC3, data);
        using var clip = new Clip([frame.Clone()], ClipKind.Rgb);
        var t = new Resize(new ResizeOptions { Width = 4, Height = 4, Interpolation = Interpolation.Nearest });

        using var result = t.Apply(clip, new Random(0));

        var bytes = Synthetic.Bytes(result.Frames[0]);
        for (int y = 0; y < 4; y++)
            for (int x = 0; x < 4; x++)
                for (int c = 0; c < 3; c++)
                    Assert.Equal(data[((y / 2) * 2 + x / 2) * 3 + c], bytes[(y * 4 + x) * 3 + c]);
    }

    [Fact]
    public void Bilinear_OfAConstantFrame_StaysConstant()
    {
        using var frame = new Mat(37, 53, MatType.CV_8UC3, new Scalar(7, 99, 201));
        using var clip = new Clip([frame.Clone()], ClipKind.Rgb);

        using var result = new Resize(-1, 256).Apply(clip, new Random(0));

        Assert.All(Synthetic.Bytes(result.Frames[0]).Chunk(3), px => Assert.Equal([7, 99, 201], px));
    }

    [Fact]
    [Trait("Category", "Failure")]
    public void BothSidesMinusOne_IsRefused()
    {
        var e = Assert.Throws<Core.ToolkitError>(() => new Resize(-1, -1));
        Assert.Equal("Resize.Width", e.Subject);
    }

    [Fact]
    [Trait("Category", "Failure")]
    public void ZeroSide_IsRefusedNamingIt()
    {
        var e = Assert.Throws<Core.ToolkitError>(() => new Resize(224, 0));
        Assert.Equal("Resize.Height", e.Subject);
    }
}

[Trait("Category", "Unit")]
public sealed class RandomRescaleTests
{
    [Fact]
    public void ShortSide_IsUniformOverTheInclusiveIntegers()
    {
        const int n = 26_000;
        var t = new RandomRescale(256, 320);
        var rng = new Random(21);
        var info = ClipInfo.Original(340, 256, 8, ClipKind.Rgb);
        var sides = Enumerable.Range(0, n).Select(_ => t.SampleParams(info, rng)).ToList();

        var counts = sides.GroupBy(p => p.ShortSide).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(Enumerable.Range(256, 65), counts.Keys.Order());
        // Discrete uniform on 65 values: mean 288, variance (65² − 1)/12 = 352; each value 1/65 of the draws.
        Stats.MeanWithin(288, sides.Select(p => (double)p.ShortSide).ToList(), Math.Sqrt(352.0), what: "short side");
        foreach (var (side, count) in counts)
            Stats.ProportionWithin(1.0 / 65, count, n, k: 4.5, what: $"P(short side = {side})");
        Assert.All(sides, p => Assert.Equal(p.ShortSide, Math.Min(p.Width, p.Height)));
    }

    [Fact]
    public void Apply_ResizesToTheDrawnSize()
    {
        using var clip = Synthetic.Coordinates(340, 256, 2);
        var t = new RandomRescale(256, 320);
        var p = t.SampleParams(clip.Info, new Random(3));

        using var result = t.Apply(clip, p);

        Assert.Equal((p.Width, p.Height), (result.Width, result.Height));
        Assert.Equal(Math.Min(p.Width, p.Height), p.ShortSide);
    }

    [Fact]
    [Trait("Category", "Failure")]
    public void MinAboveMax_IsRefused()
    {
        var e = Assert.Throws<Core.ToolkitError>(() => new RandomRescale(320, 256));
        Assert.Equal("RandomRescale.Min", e.Subject);
    }
}
