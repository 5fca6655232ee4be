using Toolkit.Augment.Geometry;
using Toolkit.Augment.Tests.Support;

namespace Toolkit.Augment.Tests.Geometry;

/// <summary>
/// RandomResizedCrop against an oracle: with area fraction s ~ U(0.08, 1) and log-aspect L ~ U(ln 3/4, ln 4/3), a draw
/// fits a W×H frame iff s·r ≤ W/H and s/r ≤ H/W (r = e^L). The accepted (s, L) are the proposal restricted to that
/// region, so their moments and the fallback rate (1 − p)^10 follow by numeric integration over (s, L).
/// Frames are large (sampling needs no pixels), so rounding w and h to integers moves s by less than 1e-3.
/// </summary>
[Trait("Category", "Unit")]
public sealed class RandomResizedCropTests
{
    private const int N = 20_000;
    private static readonly double LMin = Math.Log(3.0 / 4), LMax = Math.Log(4.0 / 3);

    /// <summary>∫∫ g(s, L) over the accepted region of a frame with aspect a = W/H, on a midpoint grid, divided by the proposal's mass.</summary>
    private static double Integrate(double aspect, Func<double, double, double> g, int steps = 1500)
    {
        double ds = (1 - 0.08) / steps, dl = (LMax - LMin) / steps, sum = 0;
        for (int i = 0; i < steps; i++)
        {
            double s = 0.08 + (i + 0.5) * ds;
            for (int j = 0; j < steps; j++)
            {
                double l = LMin + (j + 0.5) * dl, r = Math.Exp(l);
                if (s * r <= aspect && s / r <= 1 / aspect)
                    sum += g(s, l);
            }
        }
        return sum / (steps * steps);
    }

    private static List<ResizedCropParams> Sample(int width, int height, int seed, RandomResizedCropOptions? options = null)
    {
        var t = new RandomResizedCrop(options ?? new());
        var rng = new Random(seed);
        var info = ClipInfo.Original(width, height, 8, ClipKind.Rgb);
        return Enumerable.Range(0, N).Select(_ => t.SampleParams(info, rng)).ToList();
    }

    [Fact]
    public void AreaFraction_SquareFrame_MatchesTheAcceptedProposal()
    {
        double p = Integrate(1, (_, _) => 1);
        double mean = Integrate(1, (s, _) => s) / p;
        double var = Integrate(1, (s, _) => (s - mean) * (s - mean)) / p;

        var samples = Sample(2000, 2000, seed: 1);
        Assert.All(samples, x => Assert.False(x.Fallback)); // (1 − 0.79)^10 ≈ 2e-7 per clip
        var area = samples.Select(x => (double)x.Box.W * x.Box.H / (2000.0 * 2000)).ToList();

        Stats.MeanWithin(mean, area, Math.Sqrt(var), what: "area fraction mean");
        Assert.InRange(area.Min(), 0.0795, 0.09);
        Assert.InRange(area.Max(), 0.97, 1.0);
        // Below s = 3/4 every aspect fits a square, so that part is exactly uniform: check the share under 0.3.
        double below03 = Integrate(1, (s, _) => s < 0.3 ? 1 : 0) / p;
        Stats.ProportionWithin(below03, area.Count(s => s < 0.3), N, what: "P(area < 0.3)");
    }

    [Fact]
    public void LogAspect_SquareFrame_IsSymmetricWithTheOracleVariance()
    {
        double p = Integrate(1, (_, _) => 1);
        double var = Integrate(1, (_, l) => l * l) / p;
        double mu4 = Integrate(1, (_, l) => l * l * l * l) / p;

        var logAspect = Sample(2000, 2000, seed: 2).Select(x => Math.Log((double)x.Box.W / x.Box.H)).ToList();

        Stats.MeanWithin(0, logAspect, Math.Sqrt(var), what: "log-aspect mean");
        Stats.VarianceWithin(var, mu4, logAspect, what: "log-aspect variance");
        Assert.InRange(logAspect.Min(), LMin - 0.002, LMin + 0.02);
        Assert.InRange(logAspect.Max(), LMax - 0.02, LMax + 0.002);
    }

    [Fact]
    public void FallbackRate_WideFrame_IsOneMinusAcceptanceToTheTenth()
    {
        double p = Integrate(4, (_, _) => 1); // W/H = 4: only small, wide draws fit
        double expected = Math.Pow(1 - p, 10);

        var samples = Sample(4000, 1000, seed: 3);

        Stats.ProportionWithin(expected, samples.Count(x => x.Fallback), N, what: "fallback rate");
        Assert.InRange(expected, 0.05, 0.5); // the case really exercises the fallback
        Assert.All(samples.Where(x => x.Fallback), x => Assert.Equal(new PixelBox(1333, 0, 1333, 1000), x.Box));
        // Attempts used before success are geometric with parameter p.
        var attempts = samples.Where(x => !x.Fallback).Select(x => (double)x.Attempts).ToList();
        double pTrunc = 1 - expected;
        double meanAttempts = Enumerable.Range(1, 10).Sum(k => k * p * Math.Pow(1 - p, k - 1)) / pTrunc;
        double varAttempts = Enumerable.Range(1, 10).Sum(k => (k - meanAttempts) * (k - meanAttempts) * p * Math.Pow(1 - p, k - 1)) / pTrunc;
        Stats.MeanWithin(meanAttempts, attempts, Math.Sqrt(varAttempts), what: "attempts");
    }

    [Theory]
    [InlineData(1000, 10, 493, 0, 13, 10)]  // wider than 4/3: full height, w = round(10 · 4/3)
    [InlineData(10, 1000, 0, 493, 10, 13)]  // narrower than 3/4: full width, h = round(10 / (3/4))
    public void Fallback_ForcedByAnExtremeFrame_IsTorchvisionsClampedCentredCrop(int w, int h, int x, int y, int cw, int ch)
    {
        var samples = Sample(w, h, seed: 4);

        Assert.All(samples, s => Assert.True(s.Fallback));
        Assert.All(samples, s => Assert.Equal(new PixelBox(x, y, cw, ch), s.Box));
    }

    [Fact]
    public void Fallback_WithinRatioRange_IsTheWholeFrame()
    {
        var t = new RandomResizedCrop(new RandomResizedCropOptions { Attempts = 0 });

        var p = t.SampleParams(ClipInfo.Original(320, 256, 1, ClipKind.Rgb), new Random(0));

        Assert.True(p.Fallback);
        Assert.Equal(new PixelBox(0, 0, 320, 256), p.Box);
    }

    [Fact]
    public void Boxes_OverManySeeds_StayInsideTheFrame()
    {
        foreach (var (w, h) in new[] { (340, 256), (256, 340), (171, 128), (13, 9) })
        {
            var t = new RandomResizedCrop();
            var info = ClipInfo.Original(w, h, 1, ClipKind.Rgb);
            for (int seed = 0; seed < 500; seed++)
            {
                var b = t.SampleParams(info, new Random(seed)).Box;
                Assert.True(b.X >= 0 && b.Y >= 0 && b.W >= 1 && b.H >= 1 && b.X + b.W <= w && b.Y + b.H <= h, $"{b} outside {w}x{h}");
            }
        }
    }

    [Fact]
    public void Apply_CropsEveryFrameAtTheRecordedBox()
    {
        using var clip = Synthetic.Coordinates(200, 150, frames: 4);
        var t = new RandomResizedCrop();

        using var result = t.Apply(clip, new Random(7));

        var p = Assert.IsType<ResizedCropParams>(Assert.Single(result.Applied));
        Assert.Equal(p.Box.W, result.Width);
        Assert.Equal(p.Box.H, result.Height);
        for (int i = 0; i < clip.Frames.Count; i++)
        {
            using var expected = Synthetic.Slice(clip.Frames[i], p.Box.ToRect());
            Assert.Equal(Synthetic.Bytes(expected), Synthetic.Bytes(result.Frames[i]));
        }
        Assert.Equal(p.Box.ToRectD(), result.SourceRegion);
    }

    [Fact]
    public void SourceBox_AfterAKeepRatioResize_IsMappedBackToTheOriginalFrame()
    {
        using var clip = Synthetic.Coordinates(640, 480, frames: 1);
        using var half = new Resize(-1, 240).Apply(clip, new Random(0)); // 320x240: 2 original pixels per pixel
        var t = new RandomResizedCrop();

        var p = t.SampleParams(half.Info, new Random(11));

        Assert.Equal(new RectD(2.0 * p.Box.X, 2.0 * p.Box.Y, 2.0 * p.Box.W, 2.0 * p.Box.H), p.Source);
    }

    [Fact]
    public void SameSeed_SameParameters_DifferentSeed_DifferentParameters()
    {
        var a = Sample(340, 256, seed: 5).Take(50).ToList();
        var b = Sample(340, 256, seed: 5).Take(50).ToList();
        var c = Sample(340, 256, seed: 6).Take(50).ToList();

        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Theory]
    [InlineData(0, 1, 0.75, 1.33, "RandomResizedCrop.AreaMin")]
    [InlineData(0.5, 0.2, 0.75, 1.33, "RandomResizedCrop.AreaMin")]
    [InlineData(0.08, 1.5, 0.75, 1.33, "RandomResizedCrop.AreaMax")]
    [InlineData(0.08, 1, 1.5, 1.33, "RandomResizedCrop.AspectMin")]
    [Trait("Category", "Failure")]
    public void Options_OutOfRange_AreRefusedNamingTheParameter(double amin, double amax, double rmin, double rmax, string subject)
    {
        var e = Assert.Throws<Core.ToolkitError>(() => new RandomResizedCrop(new RandomResizedCropOptions { AreaMin = amin, AreaMax = amax, AspectMin = rmin, AspectMax = rmax }));
        Assert.Equal(subject, e.Subject);
    }
}
