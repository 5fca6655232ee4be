using Toolkit.Core;
using Toolkit.Loaders.Sampling;

namespace Toolkit.Loaders.Tests.Sampling;

[Trait("Category", "Unit")]
public class SampleFramesTests
{
    private static SampleFrames Make(int len, int interval, int clips, bool test = false, OutOfRange oor = OutOfRange.Loop) =>
        new(new SampleFramesOptions { ClipLength = len, FrameInterval = interval, Clips = clips, TestMode = test, OutOfRange = oor });

    [Fact]
    public void TestMode_ThreeClips_CentredInEqualSegments()
    {
        // N = 100, ori_clip_len = 16: avg = 85 / 3 = 28.33; offsets trunc(14.17), trunc(42.5), trunc(70.83).
        var s = Make(8, 2, 3, test: true);
        Assert.Equal([14, 42, 70], s.ClipOffsets(100, new Random(1)));
        var idx = s.Sample(100, startIndex: 1, new Random(1));
        Assert.Equal([15, 17, 19, 21, 23, 25, 27, 29], idx.Clip(0).ToArray());
        Assert.Equal(43, idx.Clip(1)[0]);
        Assert.Equal(24, idx.Indices.Length);
    }

    [Fact]
    public void TestMode_DrawsNothingFromTheRng()
    {
        var rng = new Random(5);
        Make(4, 1, 5, test: true).Sample(50, 0, rng);
        Assert.Equal(new Random(5).Next(), rng.Next());
    }

    [Fact]
    public void Train_OffsetsStayInTheirSegment_OverManySeeds()
    {
        // N = 30, clip 4 × interval 2 = 8: avg_interval = 23 // 3 = 7; clip k starts in [7k, 7k + 7).
        var s = Make(4, 2, 3);
        var seen = new HashSet<int>();
        for (int seed = 0; seed < 300; seed++)
        {
            var o = s.ClipOffsets(30, new Random(seed));
            for (int k = 0; k < 3; k++)
                Assert.InRange(o[k], 7 * k, 7 * k + 6);
            seen.Add(o[0]);
        }
        Assert.Equal(7, seen.Count); // every value of randint(7) is reached
    }

    [Fact]
    public void Train_IsBaseOffsetsPlusRandintOfAvgInterval()
    {
        var s = Make(4, 2, 3);
        var rng = new Random(42);
        var expected = new[] { 0 + rng.Next(7), 7 + rng.Next(7), 14 + rng.Next(7) };
        Assert.Equal(expected, s.ClipOffsets(30, new Random(42)));
    }

    [Fact]
    public void Train_ShortVideoWithRoom_SortedDraws()
    {
        // N = 9, span 8, 3 clips: avg_interval = 2 // 3 = 0 and N > max(3, 8): sorted randint(2) draws.
        var s = Make(4, 2, 3);
        for (int seed = 0; seed < 50; seed++)
        {
            var o = s.ClipOffsets(9, new Random(seed));
            Assert.All(o, v => Assert.InRange(v, 0, 1));
            Assert.Equal(o.Order().ToArray(), o);
        }
    }

    [Fact]
    public void Train_NoRoom_RoundsHalfToEven()
    {
        // N = 8, span 8, 4 clips: avg_interval 0, ratio 0.25: around([0, .25, .5, .75]) = [0, 0, 0, 1] (numpy rounds half to even).
        Assert.Equal([0, 0, 0, 1], Make(4, 2, 4).ClipOffsets(8, new Random(0)));
    }

    [Fact]
    public void Train_VideoShorterThanClip_ZeroOffsets()
    {
        Assert.Equal([0], Make(8, 2, 1).ClipOffsets(6, new Random(0)));
    }

    [Fact]
    public void OutOfRange_LoopWrapsModN()
    {
        var idx = Make(8, 2, 1, test: true).Sample(10, 1, new Random(0));
        Assert.Equal([1, 3, 5, 7, 9, 1, 3, 5], idx.Indices);
    }

    [Fact]
    public void OutOfRange_RepeatLastKeepsLastInRangeFrame()
    {
        var idx = Make(8, 2, 1, test: true, OutOfRange.RepeatLast).Sample(10, 0, new Random(0));
        Assert.Equal([0, 2, 4, 6, 8, 8, 8, 8], idx.Indices);
    }

    [Fact]
    public void StartIndexZero_ForDenseflowAndVideos()
    {
        Assert.Equal([14, 16, 18, 20, 22, 24, 26, 28], Make(8, 2, 3, test: true).Sample(100, 0, new Random(0)).Clip(0).ToArray());
    }

    [Fact]
    public void SameSeed_SameIndices_DifferentSeeds_Differ()
    {
        var s = Make(8, 4, 2);
        Assert.Equal(s.Sample(300, 1, new Random(9)).Indices, s.Sample(300, 1, new Random(9)).Indices);
        var distinct = Enumerable.Range(0, 20).Select(i => string.Join(",", s.Sample(300, 1, new Random(i)).Indices)).Distinct().Count();
        Assert.True(distinct > 15);
    }

    [Theory]
    [InlineData(0, 1, 1)]
    [InlineData(8, 0, 1)]
    [InlineData(8, 1, 0)]
    [Trait("Category", "Failure")]
    public void BadOptions_ErrorNamesTheOption(int len, int interval, int clips)
    {
        var e = Assert.Throws<ToolkitError>(() => Make(len, interval, clips));
        Assert.StartsWith("SampleFrames.", e.Subject);
    }
}

[Trait("Category", "Unit")]
public class SegmentSamplingTests
{
    [Fact]
    public void Tsn_TestMode_MiddleOfEachSegment()
    {
        var idx = new TsnSegments(3, testMode: true).Sample(30, 1, new Random(0));
        Assert.Equal([6, 16, 26], idx.Indices);
    }

    [Fact]
    public void Tsn_Train_OneFrameInEachSegment()
    {
        var s = new TsnSegments(4, newLength: 1);
        for (int seed = 0; seed < 100; seed++)
        {
            var idx = s.Sample(40, 0, new Random(seed)).Indices;
            for (int k = 0; k < 4; k++)
                Assert.InRange(idx[k], 10 * k, 10 * k + 9);
        }
    }

    [Fact]
    public void Tsn_FlowStack_ConsecutiveFramesInsideTheSegment()
    {
        var s = new TsnSegments(3, newLength: 5);
        for (int seed = 0; seed < 100; seed++)
        {
            var idx = s.Sample(30, 0, new Random(seed));
            for (int k = 0; k < 3; k++)
            {
                var clip = idx.Clip(k).ToArray();
                Assert.Equal(Enumerable.Range(clip[0], 5), clip);
                Assert.InRange(clip[0], 10 * k, 10 * k + 5);
            }
        }
    }

    [Fact]
    public void Dense_TestMode_TenWindowsFromLinspace()
    {
        // N = 100, range 64: 37 start positions; linspace(0, 36, 10) truncated = 0, 4, 8, ..., 36.
        var idx = new DenseSampleFrames(8, frameInterval: 8, clips: 1, testMode: true).Sample(100, 0, new Random(0));
        Assert.Equal(10, idx.Clips);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => 4 * i), Enumerable.Range(0, 10).Select(c => idx.Clip(c)[0]));
        Assert.Equal([0, 8, 16, 24, 32, 40, 48, 56], idx.Clip(0).ToArray());
    }

    [Fact]
    public void Dense_Train_WindowStartInRange_ClipsSpacedByRangeOverClips()
    {
        var s = new DenseSampleFrames(4, frameInterval: 2, clips: 2, sampleRange: 32);
        for (int seed = 0; seed < 100; seed++)
        {
            var idx = s.Sample(50, 0, new Random(seed));
            int start = idx.Clip(0)[0];
            Assert.InRange(start, 0, 17); // randint(0, 19 - 1)
            Assert.Equal((start + 16) % 50, idx.Clip(1)[0]);
        }
    }

    [Fact]
    public void TestViews_ClipMajorOrder()
    {
        var v = new TestViews(10, 3);
        Assert.Equal(30, v.Count);
        Assert.Equal((0, 2), v.Of(2));
        Assert.Equal((3, 1), v.Of(10));
        Assert.Equal(10, v.Sampler(8).Clips);
        Assert.True(v.Sampler(8).Options.TestMode);
    }
}
