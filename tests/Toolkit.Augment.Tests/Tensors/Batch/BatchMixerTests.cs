using Toolkit.Augment.Tensors.Batch;
using Toolkit.Augment.Tests.Support;
using static TorchSharp.torch;

namespace Toolkit.Augment.Tests.Tensors.Batch;

/// <summary>
/// Mixup / CutMix. λ statistics come from <see cref="BatchMixer.SampleParams"/> in element mode (one draw per sample,
/// thousands per call); pixel and target checks use batches whose clips are constant (clip i holds value i), so every
/// output value says where it came from.
/// </summary>
[Trait("Category", "Unit")]
public sealed class BatchMixerTests
{
    private const int K = 5;

    private static Generator Seeded(long seed) => new((ulong)seed, CPU);

    /// <summary>N clips of C × T × H × W where clip i is the constant i.</summary>
    private static Tensor Constant(int n, int c = 2, int t = 3, int h = 16, int w = 20) =>
        arange(n, float32).view(n, 1, 1, 1, 1).expand(n, c, t, h, w).contiguous();

    [Theory]
    [InlineData(0.2)]
    [InlineData(0.8)]
    [InlineData(1.0)]
    [InlineData(2.0)]
    public void MixupLambda_FollowsBetaAlphaAlpha(double alpha)
    {
        var mixer = new BatchMixer(MixOptions.Mixup(K, alpha) with { Mode = MixMode.Elem });
        using var g = Seeded(10);

        var lam = mixer.SampleParams(8000, 8, 8, g).SampledLambda;

        // Beta(α, α): mean 1/2, variance 1/(4(2α + 1)), fourth central moment σ⁴(3 − 6/(2α + 3)).
        double variance = 1 / (4 * (2 * alpha + 1));
        double mu4 = variance * variance * (3 - 6 / (2 * alpha + 3));
        Stats.MeanWithin(0.5, lam, Math.Sqrt(variance), what: $"λ mean, α = {alpha}");
        Stats.VarianceWithin(variance, mu4, lam, what: $"λ variance, α = {alpha}");
        Assert.All(lam, l => Assert.InRange(l, 0, 1));
    }

    [Fact]
    public void Mixup_Batch_MixesEveryClipWithItsMirrorByOneLambda()
    {
        var mixer = new BatchMixer(MixOptions.Mixup(K));
        using var x = Constant(4);
        using var y = tensor(new long[] { 0, 1, 2, 3 });
        using var g = Seeded(3);

        using var r = mixer.Mix(x, y, g);

        double lam = r.Params.Lambda[0];
        Assert.All(r.Params.Lambda, l => Assert.Equal(lam, l));
        for (int i = 0; i < 4; i++)
        {
            float expected = (float)(lam * i + (1 - lam) * (3 - i));
            using var clip = r.Videos[i];
            Assert.Equal(expected, clip.min().item<float>(), 5);
            Assert.Equal(expected, clip.max().item<float>(), 5);
        }
    }

    [Fact]
    public void CutMix_Batch_OneBoxForAllClipsAndFrames_LambdaIsOneMinusBoxArea()
    {
        const int n = 4, h = 16, w = 20;
        var mixer = new BatchMixer(MixOptions.CutMix(K));
        using var x = Constant(n, h: h, w: w);
        using var y = tensor(new long[] { 0, 1, 2, 3 });

        for (int seed = 0; seed < 20; seed++)
        {
            using var g = Seeded(seed);
            using var r = mixer.Mix(x, y, g);

            var box = r.Params.Boxes[0]!.Value;
            Assert.All(r.Params.Boxes, b => Assert.Equal(box, b));
            Assert.Equal(1 - (double)box.Area / (h * w), r.Params.Lambda[0], 12);
            for (int i = 0; i < n; i++)
            {
                using var clip = r.Videos[i];
                using var fromPartner = clip.eq(n - 1 - i).to(float32).mean([0, 1]); // H x W share of partner pixels over C, T
                using var own = clip.eq(i).to(float32).mean([0, 1]);
                var partnerShare = fromPartner.data<float>().ToArray();
                for (int yy = 0; yy < h; yy++)
                    for (int xx = 0; xx < w; xx++)
                    {
                        bool inside = yy >= box.Y0 && yy < box.Y1 && xx >= box.X0 && xx < box.X1;
                        if (i != n - 1 - i)
                            Assert.Equal(inside ? 1f : 0f, partnerShare[yy * w + xx]);
                    }
                Assert.Equal(1f, (fromPartner + own).clamp_max(1).min().item<float>());
            }
        }
    }

    [Fact]
    public void CutMixBox_AreaTracksOneMinusLambda_AndClippingOnlyRaisesLambda()
    {
        const int h = 224, w = 224, n = 6000;
        var mixer = new BatchMixer(MixOptions.CutMix(K) with { Mode = MixMode.Elem });
        using var g = Seeded(5);

        var p = mixer.SampleParams(n, h, w, g);

        var unclipped = new List<double>();
        for (int i = 0; i < n; i++)
        {
            var b = p.Boxes[i]!.Value;
            double lam = p.SampledLambda[i], cut = Math.Sqrt(1 - lam);
            int cutH = (int)(h * cut), cutW = (int)(w * cut);
            bool clipped = b.Y1 - b.Y0 < 2 * (cutH / 2) || b.X1 - b.X0 < 2 * (cutW / 2);
            Assert.True(p.Lambda[i] >= lam - 4.0 / h, $"λ {p.Lambda[i]} after correction below the drawn {lam}");
            Assert.Equal(1 - (double)b.Area / (h * w), p.Lambda[i], 12);
            if (!clipped)
                unclipped.Add(1 - p.Lambda[i] - (1 - lam)); // box share minus 1 − λ: only side rounding (≤ 2 px each way)
        }
        Assert.All(unclipped, d => Assert.InRange(d, -4.0 / h, 0.0001));
        Assert.True(unclipped.Count > n / 20);
        // λ itself is still Beta(1, 1) = U(0, 1) before correction.
        Stats.MeanWithin(0.5, p.SampledLambda, Math.Sqrt(1 / 12.0), what: "sampled λ mean");
    }

    [Fact]
    public void CutMixMinMax_SidesWithinTheRatios()
    {
        var mixer = new BatchMixer(MixOptions.CutMix(K) with { Mode = MixMode.Elem, CutmixMinMax = [0.2, 0.6] });
        using var g = Seeded(6);

        var p = mixer.SampleParams(2000, 100, 50, g);

        Assert.All(p.Boxes, b =>
        {
            Assert.InRange(b!.Value.Y1 - b.Value.Y0, 20, 59);
            Assert.InRange(b.Value.X1 - b.Value.X0, 10, 29);
            Assert.True(b.Value.Y0 >= 0 && b.Value.Y1 <= 100 && b.Value.X0 >= 0 && b.Value.X1 <= 50);
        });
        Assert.All(Enumerable.Range(0, 2000), i => Assert.Equal(1 - p.Boxes[i]!.Value.Area / 5000.0, p.Lambda[i], 12));
    }

    [Fact]
    public void ProbAndSwitchProb_SetTheShares()
    {
        const int n = 10_000;
        var mixer = new BatchMixer(new MixOptions { NumClasses = K, Mode = MixMode.Elem, Prob = 0.6, SwitchProb = 0.25 });
        using var g = Seeded(7);

        var p = mixer.SampleParams(n, 32, 32, g);

        int mixed = p.SampledLambda.Count(l => l != 1);
        Stats.ProportionWithin(0.6, mixed, n, what: "mixed share");
        Stats.ProportionWithin(0.25, p.CutMix.Count(c => c), mixed, what: "CutMix share of the mixed");
    }

    [Fact]
    public void PairMode_PartnersShareLambdaAndBox_OddBatchRefused()
    {
        var mixer = new BatchMixer(new MixOptions { NumClasses = K, Mode = MixMode.Pair });
        using var g = Seeded(8);

        var p = mixer.SampleParams(10, 16, 16, g);

        for (int i = 0; i < 10; i++)
        {
            Assert.Equal(p.Lambda[i], p.Lambda[9 - i]);
            Assert.Equal(p.Boxes[i], p.Boxes[9 - i]);
            Assert.Equal(9 - i, p.Partner[i]);
        }
        Assert.True(p.Lambda.Take(5).Distinct().Count() > 1);
        using var x = Constant(3);
        using var y = tensor(new long[] { 0, 1, 2 });
        Assert.Contains("even batch size", Assert.Throws<Core.ToolkitError>(() => mixer.Mix(x, y, g)).Message);
    }

    [Theory]
    [InlineData(MixMode.Batch)]
    [InlineData(MixMode.Pair)]
    [InlineData(MixMode.Elem)]
    public void SoftTargets_SumToOne_AndAreTheMixedSmoothedOneHots(MixMode mode)
    {
        const double eps = 0.1;
        var mixer = new BatchMixer(new MixOptions { NumClasses = K, Mode = mode, LabelSmoothing = eps });
        using var x = Constant(6);
        using var y = tensor(new long[] { 0, 1, 2, 3, 4, 0 });
        using var g = Seeded(9);

        using var r = mixer.Mix(x, y, g);

        var t = r.Targets.data<float>().ToArray();
        long[] labels = [0, 1, 2, 3, 4, 0];
        for (int i = 0; i < 6; i++)
        {
            Assert.Equal(1.0, t.Skip(i * K).Take(K).Sum(), 5);
            double lam = r.Params.Lambda[i];
            for (int k = 0; k < K; k++)
            {
                double own = labels[i] == k ? 1 - eps + eps / K : eps / K;
                double other = labels[5 - i] == k ? 1 - eps + eps / K : eps / K;
                Assert.True(Math.Abs(lam * own + (1 - lam) * other - t[i * K + k]) < 1e-6, $"target [{i}, {k}]");
            }
        }
    }

    [Fact]
    public void SoftLabelsIn_StaySoftAndSumToOne()
    {
        var mixer = new BatchMixer(MixOptions.Mixup(3) with { LabelSmoothing = 0 });
        using var x = Constant(2);
        using var soft = tensor(new float[] { 0.5f, 0.5f, 0, 0, 0.25f, 0.75f }, [2, 3]);
        using var g = Seeded(1);

        using var r = mixer.Mix(x, soft, g);

        double lam = r.Params.Lambda[0];
        var t = r.Targets.data<float>().ToArray();
        Assert.Equal(0.5 * lam, t[0], 5);
        Assert.Equal(0.25 * (1 - lam), t[1] - 0.5 * lam, 5);
        Assert.Equal(1.0, t.Take(3).Sum(), 5);
    }

    [Fact]
    public void EqualSeeds_EqualOutput_DifferentSeeds_Differ_InputUntouched()
    {
        var mixer = new BatchMixer(new MixOptions { NumClasses = K, Mode = MixMode.Elem });
        using var gen = Seeded(0);
        using var x = rand([4, 3, 2, 8, 8], generator: gen);
        using var before = x.clone();
        using var y = tensor(new long[] { 0, 1, 2, 3 });

        using var g1 = Seeded(42);
        using var g2 = Seeded(42);
        using var g3 = Seeded(43);
        using var a = mixer.Mix(x, y, g1);
        using var b = mixer.Mix(x, y, g2);
        using var c = mixer.Mix(x, y, g3);

        Assert.True(a.Videos.eq(b.Videos).all().item<bool>());
        Assert.True(a.Targets.eq(b.Targets).all().item<bool>());
        Assert.Equal(a.Params.Lambda, b.Params.Lambda);
        Assert.NotEqual(a.Params.Lambda, c.Params.Lambda);
        Assert.True(x.eq(before).all().item<bool>());
    }

    [Fact]
    public void FourDimensionalImages_AreMixedToo()
    {
        var mixer = new BatchMixer(MixOptions.CutMix(K));
        using var x = arange(2, float32).view(2, 1, 1, 1).expand(2, 3, 8, 8).contiguous();
        using var y = tensor(new long[] { 0, 1 });
        using var g = Seeded(2);

        using var r = mixer.Mix(x, y, g);

        Assert.Equal(x.shape, r.Videos.shape);
    }

    [Fact]
    [Trait("Category", "Failure")]
    public void BadInputs_AreRefusedWithTheReason()
    {
        var mixer = new BatchMixer(MixOptions.Mixup(K));
        using var g = Seeded(0);
        using var bytes = zeros([2, 3, 2, 4, 4], ScalarType.Byte);
        using var x = zeros([2, 3, 2, 4, 4]);
        using var y = tensor(new long[] { 0, 1 });
        using var bad = tensor(new long[] { 0, 7 });
        using var flat = zeros([2, 48]);

        Assert.Contains("floating-point", Assert.Throws<Core.ToolkitError>(() => mixer.Mix(bytes, y, g)).Message);
        Assert.Contains("labels must lie in [0, 4]", Assert.Throws<Core.ToolkitError>(() => mixer.Mix(x, bad, g)).Message);
        Assert.Contains("N x C x T x H x W", Assert.Throws<Core.ToolkitError>(() => mixer.Mix(flat, y, g)).Message);
        Assert.Equal("Mix.NumClasses", Assert.Throws<Core.ToolkitError>(() => new BatchMixer(new MixOptions())).Subject);
        Assert.Equal("Mix.Prob", Assert.Throws<Core.ToolkitError>(() => new BatchMixer(new MixOptions { NumClasses = 2, Prob = 1.5 })).Subject);
        Assert.Equal("Mix.CutmixMinMax", Assert.Throws<Core.ToolkitError>(() => new BatchMixer(new MixOptions { NumClasses = 2, CutmixMinMax = [0.6, 0.2] })).Subject);
    }
}
