using OpenCvSharp;
using Toolkit.Augment.Geometry;
using Toolkit.Augment.Tests.Support;

namespace Toolkit.Augment.Tests.Geometry;

[Trait("Category", "Unit")]
public sealed class FlipTests
{
    private static readonly FlipParams Yes = new(true);

    [Fact]
    public void Rgb_MirrorsColumns()
    {
        using var clip = Synthetic.Coordinates(17, 5, 2);

        using var flipped = new Flip(1).Apply(clip, Yes);

        var bytes = Synthetic.Bytes(flipped.Frames[1]);
        for (int y = 0; y < 5; y++)
            for (int x = 0; x < 17; x++)
                Assert.Equal((byte)(16 - x), bytes[(y * 17 + x) * 3]); // B held the source x
        Assert.True(flipped.Map.Mirrored);
        Assert.Equal(new RectD(0, 0, 17, 5), flipped.SourceRegion);
    }

    [Theory]
    [InlineData(ClipKind.Rgb)]
    [InlineData(ClipKind.Flow)]
    public void FlipTwice_IsTheIdentity(ClipKind kind)
    {
        using var clip = kind == ClipKind.Rgb ? Synthetic.Coordinates(31, 9, 3) : Synthetic.Flow(31, 9, 3);
        var t = new Flip(1);

        using var once = t.Apply(clip, Yes);
        using var twice = t.Apply(once, Yes);

        Assert.False(Synthetic.SamePixels(clip, once));
        Assert.True(Synthetic.SamePixels(clip, twice));
        Assert.False(twice.Map.Mirrored);
    }

    [Fact]
    public void QuantizedFlow_XBecomes255MinusV_YIsKept()
    {
        using var clip = Synthetic.Flow(13, 4, 2);

        using var flipped = new Flip(1).Apply(clip, Yes);

        for (int t = 0; t < 2; t++)
        {
            var src = Synthetic.Bytes(clip.Frames[t]);
            var dst = Synthetic.Bytes(flipped.Frames[t]);
            for (int y = 0; y < 4; y++)
                for (int x = 0; x < 13; x++)
                {
                    int from = (y * 13 + (12 - x)) * 2, to = (y * 13 + x) * 2;
                    Assert.Equal(255 - src[from], dst[to]);
                    Assert.Equal(src[from + 1], dst[to + 1]);
                }
        }
    }

    [Fact]
    public void FloatFlow_XIsNegated_YIsKept()
    {
        float[] data = [1.5f, -2f, -0.25f, 3f, 0f, 7f]; // one row of 3 pixels (x, y)
        using var frame = Synthetic.FromFloats(1, 3, 2, data);
        using var clip = new Clip([frame.Clone()], ClipKind.Flow);

        using var flipped = new Flip(1).Apply(clip, Yes);

        Assert.Equal([-0f, 7f, 0.25f, 3f, -1.5f, -2f], Synthetic.Floats(flipped.Frames[0]));
    }

    [Fact]
    public void Probability_IsTheFlipRate()
    {
        const int n = 10_000;
        var t = new Flip(0.3);
        var rng = new Random(4);
        var info = ClipInfo.Original(8, 8, 1, ClipKind.Rgb);

        int flips = Enumerable.Range(0, n).Count(_ => t.SampleParams(info, rng).Flipped);

        Stats.ProportionWithin(0.3, flips, n, what: "flip rate");
    }

    [Fact]
    public void NotFlipped_CopiesThePixels()
    {
        using var clip = Synthetic.Coordinates(9, 9, 1);

        using var same = new Flip(0).Apply(clip, new Random(0));

        Assert.True(Synthetic.SamePixels(clip, same));
        Assert.NotEqual(clip.Frames[0].Data, same.Frames[0].Data);
        Assert.Equal(new FlipParams(false), same.Applied[0]);
    }

    [Fact]
    [Trait("Category", "Failure")]
    public void Probability_AboveOne_IsRefused()
    {
        var e = Assert.Throws<Core.ToolkitError>(() => new Flip(1.5));
        Assert.Equal("Flip.Probability", e.Subject);
        Assert.Contains("must be in [0, 1], got 1.5", e.Message);
    }

    [Fact]
    public void FlowFrame_OfTwoChannels_IsRequired()
    {
        using var gray = new Mat(4, 4, MatType.CV_8UC1, Scalar.All(1));
        Assert.Throws<ArgumentException>(() => new Clip([gray.Clone()], ClipKind.Flow));
    }
}
