using OpenCvSharp;
using Toolkit.Augment.Tests.Support;

namespace Toolkit.Augment.Tests;

[Trait("Category", "Unit")]
public sealed class ClipTests
{
    [Fact]
    public void FromFlowPairs_MergesXAndY_AndLeavesTheInputsToTheCaller()
    {
        using var x = Synthetic.FromBytes(1, 2, MatType.CV_8UC1, [10, 20]);
        using var y = Synthetic.FromBytes(1, 2, MatType.CV_8UC1, [30, 40]);

        using (var clip = Clip.FromFlowPairs([x], [y]))
        {
            Assert.Equal(ClipKind.Flow, clip.Kind);
            Assert.Equal(MatType.CV_8UC2, clip.Type);
            Assert.Equal([10, 30, 20, 40], Synthetic.Bytes(clip.Frames[0]));
        }

        Assert.False(x.IsDisposed);
        Assert.Equal([10, 20], Synthetic.Bytes(x));
    }

    [Fact]
    public void Dispose_DisposesTheFrames()
    {
        var clip = Synthetic.Coordinates(4, 4, 2);
        var frames = clip.Frames.ToArray();

        clip.Dispose();

        Assert.All(frames, f => Assert.True(f.IsDisposed));
        Assert.Throws<ObjectDisposedException>(() => clip.Frames);
    }

    [Fact]
    [Trait("Category", "Failure")]
    public void MixedSizes_NoFrames_AndUnevenViews_AreRefused()
    {
        using var a = new Mat(4, 4, MatType.CV_8UC3);
        using var b = new Mat(4, 5, MatType.CV_8UC3);

        Assert.Contains("differ in size", Assert.Throws<ArgumentException>(() => new Clip([a.Clone(), b.Clone()], ClipKind.Rgb)).Message);
        Assert.Throws<ArgumentException>(() => new Clip([], ClipKind.Rgb));
        Assert.Contains("cannot be split into 2 views", Assert.Throws<ArgumentException>(() => new Clip([a.Clone()], ClipKind.Rgb, views: 2)).Message);
        Assert.Throws<ArgumentException>(() => Clip.FromFlowPairs([a], [a]));
    }
}
