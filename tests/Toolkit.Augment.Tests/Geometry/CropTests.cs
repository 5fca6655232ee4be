using Toolkit.Augment.Geometry;
using Toolkit.Augment.Tests.Support;

namespace Toolkit.Augment.Tests.Geometry;

[Trait("Category", "Unit")]
public sealed class CropTests
{
    [Fact]
    public void RandomCrop_OffsetsAreUniformOverEveryValidPosition()
    {
        const int n = 12_000;
        var t = new RandomCrop(224);
        var rng = new Random(8);
        var info = ClipInfo.Original(229, 226, 1, ClipKind.Rgb); // x in 0..5, y in 0..2
        var boxes = Enumerable.Range(0, n).Select(_ => t.SampleParams(info, rng).Box).ToList();

        Assert.Equal([0, 1, 2, 3, 4, 5], boxes.Select(b => b.X).Distinct().Order());
        Assert.Equal([0, 1, 2], boxes.Select(b => b.Y).Distinct().Order());
        foreach (int x in Enumerable.Range(0, 6))
            Stats.ProportionWithin(1.0 / 6, boxes.Count(b => b.X == x), n, what: $"P(x = {x})");
    }

    [Fact]
    public void RandomCrop_PixelsAreTheSliceAtTheRecordedBox()
    {
        using var clip = Synthetic.Coordinates(60, 50, 3);
        var t = new RandomCrop(new CropOptions { Width = 20, Height = 10 });

        using var result = t.Apply(clip, new Random(5));

        var p = Assert.IsType<CropParams>(result.Applied[0]);
        for (int i = 0; i < 3; i++)
        {
            using var expected = Synthetic.Slice(clip.Frames[i], p.Box.ToRect());
            Assert.Equal(Synthetic.Bytes(expected), Synthetic.Bytes(result.Frames[i]));
        }
        var first = Synthetic.Bytes(result.Frames[0]);
        Assert.Equal((byte)p.Box.X, first[0]); // B = x of the original pixel
        Assert.Equal((byte)p.Box.Y, first[1]); // G = y
    }

    [Theory]
    [InlineData(341, 256, 224, 58, 16)]
    [InlineData(256, 341, 224, 16, 58)]
    [InlineData(225, 225, 224, 0, 0)]
    public void CenterCrop_OffsetIsFloorHalfOfTheSlack(int w, int h, int size, int x, int y)
    {
        var p = new CenterCrop(size).SampleParams(ClipInfo.Original(w, h, 1, ClipKind.Rgb), new Random(0));

        Assert.Equal(new PixelBox(x, y, size, size), p.Box);
    }

    [Fact]
    public void ThreeCrop_Landscape_TakesLeftRightMiddle()
    {
        using var clip = Synthetic.Coordinates(298, 224, 2);

        using var result = new ThreeCrop(224).Apply(clip, new Random(0));

        var p = Assert.IsType<MultiCropParams>(result.Applied[0]);
        Assert.Equal([new(0, 0, 224, 224), new(74, 0, 224, 224), new(37, 0, 224, 224)], p.Boxes);
        Assert.Equal(3, result.Views);
        Assert.Equal(6, result.Frames.Count);
        Assert.Equal(2, result.FramesPerView);
        // view 1, frame 0: the right crop of frame 0
        using var expected = Synthetic.Slice(clip.Frames[0], p.Boxes[1].ToRect());
        Assert.Equal(Synthetic.Bytes(expected), Synthetic.Bytes(result.Frames[2]));
        Assert.Equal(new RectD(74, 0, 224, 224), result.ViewMaps[1].ToSource(new RectD(0, 0, 224, 224)));
    }

    [Fact]
    public void ThreeCrop_Portrait_TakesTopBottomMiddle()
    {
        var p = new ThreeCrop(224).SampleParams(ClipInfo.Original(224, 300, 1, ClipKind.Rgb), new Random(0));

        Assert.Equal([new(0, 0, 224, 224), new(0, 76, 224, 224), new(0, 38, 224, 224)], p.Boxes);
    }

    [Fact]
    public void TenCrop_CornersCentreAndMirrors()
    {
        using var clip = Synthetic.Coordinates(40, 30, 1);

        using var result = new TenCrop(new CropOptions { Width = 20, Height = 10 }).Apply(clip, new Random(0));

        var p = Assert.IsType<MultiCropParams>(result.Applied[0]);
        PixelBox[] five = [new(0, 0, 20, 10), new(20, 0, 20, 10), new(0, 20, 20, 10), new(20, 20, 20, 10), new(10, 10, 20, 10)];
        Assert.Equal([.. five, .. five], p.Boxes);
        Assert.Equal(10, result.Views);
        for (int v = 0; v < 5; v++)
        {
            using var mirrored = ClipOps.FlipFrame(result.Frames[v], ClipKind.Rgb);
            Assert.Equal(Synthetic.Bytes(mirrored), Synthetic.Bytes(result.Frames[v + 5]));
        }
    }

    [Fact]
    public void MultiScaleCrop_SidesComeFromTheScaleGridAndPositionsFromTheFixedFive()
    {
        var t = new MultiScaleCrop();
        var info = ClipInfo.Original(340, 256, 1, ClipKind.Rgb);
        int[] sides = [256, 224, 192, 168]; // int(256 · {1, .875, .75, .66}); 224 is exact
        var rng = new Random(9);
        var seen = new HashSet<(int, int)>();
        for (int i = 0; i < 3000; i++)
        {
            var b = t.SampleParams(info, rng).Box;
            int wi = Array.IndexOf(sides, b.W), hi = Array.IndexOf(sides, b.H);
            Assert.True(wi >= 0 && hi >= 0 && Math.Abs(wi - hi) <= 1, $"{b}");
            int s = (340 - b.W) / 4, u = (256 - b.H) / 4;
            Assert.Contains((b.X, b.Y), new[] { (0, 0), (4 * s, 0), (0, 4 * u), (4 * s, 4 * u), (2 * s, 2 * u) });
            seen.Add((b.W, b.H));
        }
        Assert.Equal(10, seen.Count); // 4 diagonal + 2·3 neighbours
    }

    [Fact]
    [Trait("Category", "Failure")]
    public void Crop_LargerThanTheFrame_SaysWhatToDo()
    {
        var e = Assert.Throws<Core.ToolkitError>(() => new RandomCrop(224).SampleParams(ClipInfo.Original(200, 150, 1, ClipKind.Rgb), new Random(0)));

        Assert.Equal("RandomCrop", e.Subject);
        Assert.Contains("224x224 crop does not fit a 200x150 frame", e.Message);
    }
}
