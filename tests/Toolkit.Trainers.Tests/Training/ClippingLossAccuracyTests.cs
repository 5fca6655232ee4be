using Toolkit.Trainers.Training;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using F = TorchSharp.torch.nn.functional;

namespace Toolkit.Trainers.Tests.Training;

[Trait("Category", "Unit")]
public sealed class GradientClippingTests
{
    [Fact]
    public void ClipL2_AboveMax_ScalesToMaxAndReportsPreClipNorm()
    {
        using var lin = Linear(2, 2);
        var ps = lin.parameters().ToList();
        ps[0].grad = tensor(new float[] { 3, 0, 0, 0 }).view(2, 2); // norm 3
        ps[1].grad = tensor(new float[] { 0, 4 });                  // norm 4: total 5
        double total = GradientClipping.ClipL2(ps, 1.0);
        Assert.Equal(5.0, total, 6);
        double after = Math.Sqrt(ps.Sum(p => p.grad!.square().sum().item<float>()));
        Assert.Equal(1.0, after, 5);
        Assert.Equal(3.0 / 5, ps[0].grad!.data<float>()[0], 5); // direction kept
        Assert.Equal(4.0 / 5, ps[1].grad!.data<float>()[1], 5);
    }

    [Fact]
    public void ClipL2_BelowMax_LeavesGradients_SkipsMissing()
    {
        using var lin = Linear(2, 2);
        var ps = lin.parameters().ToList();
        ps[1].grad = tensor(new float[] { 0, 4 });
        Assert.Equal(4.0, GradientClipping.ClipL2(ps, 40), 6);
        Assert.Equal(4f, ps[1].grad!.data<float>()[1]);
        Assert.Equal(0.0, GradientClipping.ClipL2([], 1.0));
        Assert.Equal("maxNorm", Assert.Throws<ArgumentOutOfRangeException>(() => GradientClipping.ClipL2(ps, 0)).ParamName);
    }

    [Fact]
    public void ClipL2_MatchesTorchSharpClipGradNorm()
    {
        using var a = Linear(3, 3);
        using var b = Linear(3, 3);
        var gen = new Generator(7, CPU);
        foreach (var (pa, pb) in a.parameters().Zip(b.parameters()))
        {
            var g = randn(pa.shape, generator: gen) * 10;
            pa.grad = g.clone();
            pb.grad = g.clone();
        }

        double ours = GradientClipping.ClipL2(a.parameters(), 2.0);
        double theirs = TorchSharp.torch.nn.utils.clip_grad_norm_(b.parameters(), 2.0);
        Assert.Equal(theirs, ours, 4);
        foreach (var (pa, pb) in a.parameters().Zip(b.parameters()))
            Assert.True(pa.grad!.allclose(pb.grad!, rtol: 1e-5, atol: 1e-6));
    }
}

[Trait("Category", "Unit")]
public sealed class LossesTests
{
    private static readonly Generator Gen = new(11, CPU);

    [Fact]
    public void SoftTargetCrossEntropy_OneHot_EqualsCrossEntropy()
    {
        using var scope = NewDisposeScope();
        var logits = randn(6, 5, generator: new Generator(3, CPU));
        var labels = tensor(new long[] { 0, 4, 2, 2, 1, 3 });
        var oneHot = F.one_hot(labels, 5).to(ScalarType.Float32);
        Assert.Equal(Losses.CrossEntropy(logits, labels).item<float>(), Losses.SoftTargetCrossEntropy(logits, oneHot).item<float>(), 5);
    }

    [Fact]
    public void SoftTargetCrossEntropy_HandValue()
    {
        using var scope = NewDisposeScope();
        // logits (0, ln 3): p = (1/4, 3/4); target (0.5, 0.5): loss = −0.5·ln(1/4) − 0.5·ln(3/4)
        var logits = tensor(new float[] { 0f, (float)Math.Log(3) }).view(1, 2);
        var targets = tensor(new float[] { 0.5f, 0.5f }).view(1, 2);
        Assert.Equal(-0.5 * Math.Log(0.25) - 0.5 * Math.Log(0.75), Losses.SoftTargetCrossEntropy(logits, targets).item<float>(), 5);
    }

    [Fact]
    public void CrossEntropy_LabelSmoothing_IsPyTorchFormula()
    {
        using var scope = NewDisposeScope();
        var logits = randn(4, 7, generator: new Generator(5, CPU));
        var labels = tensor(new long[] { 6, 0, 3, 3 });
        const double eps = 0.1;
        var logp = F.log_softmax(logits, 1);
        // PyTorch: (1 − ε)·nll + ε·mean_k(−log p_k), batch mean
        var nll = -logp.gather(1, labels.unsqueeze(1)).squeeze(1);
        var uniform = -logp.mean([1]);
        double expected = ((1 - eps) * nll + eps * uniform).mean().item<float>();
        Assert.Equal(expected, Losses.CrossEntropy(logits, labels, eps).item<float>(), 5);
        // and equals the soft-target loss with smoothed targets (1 − ε)·onehot + ε / K
        var soft = F.one_hot(labels, 7).to(ScalarType.Float32) * (1 - eps) + eps / 7;
        Assert.Equal(expected, Losses.SoftTargetCrossEntropy(logits, soft).item<float>(), 5);
    }

    [Fact]
    public void CrossEntropy_ProgressGauge_MatchesNotes()
    {
        using var scope = NewDisposeScope();
        // p(gt) 0.5 → 0.69, 0.9 → 0.11 (SPEC §5)
        var logits = tensor(new float[] { (float)Math.Log(0.5), (float)Math.Log(0.5), (float)Math.Log(0.9), (float)Math.Log(0.1) }).view(2, 2);
        var labels = tensor(new long[] { 0, 0 });
        Assert.Equal((0.693147 + 0.105361) / 2, Losses.CrossEntropy(logits, labels).item<float>(), 4);
        Assert.Equal("labelSmoothing", Assert.Throws<ArgumentOutOfRangeException>(() => Losses.CrossEntropy(logits, labels, 1.5)).ParamName);
        Assert.Equal("labels", Assert.Throws<ArgumentException>(() => Losses.CrossEntropy(logits, tensor(new long[] { 0 }))).ParamName);
    }

    [Fact]
    public void CrossEntropy_IsDifferentiable()
    {
        var logits = randn(new long[] { 3, 4 }, generator: Gen).requires_grad_(true);
        var labels = tensor(new long[] { 1, 2, 3 });
        using (var loss = Losses.CrossEntropy(logits, labels, 0.1))
            loss.backward();
        Assert.NotNull(logits.grad);
    }
}

[Trait("Category", "Unit")]
public sealed class AccuracyTests
{
    [Fact]
    public void TopK_HandExample()
    {
        using var scope = NewDisposeScope();
        var scores = tensor(new float[]
        {
            0.1f, 0.7f, 0.2f, // top1 = 1
            0.5f, 0.1f, 0.4f, // top1 = 0, top2 = {0, 2}
            0.3f, 0.3f, 0.4f, // top1 = 2
            0.6f, 0.3f, 0.1f, // top1 = 0, top2 = {0, 1}
        }).view(4, 3);
        var labels = tensor(new long[] { 1, 2, 1, 2 });
        Assert.Equal(0.25, Accuracy.TopK(scores, labels, 1));
        Assert.Equal(0.5, Accuracy.TopK(scores, labels, 2));
        Assert.Equal(1.0, Accuracy.TopK(scores, labels, 3));
        Assert.Equal("k", Assert.Throws<ArgumentOutOfRangeException>(() => Accuracy.TopK(scores, labels, 4)).ParamName);
    }

    [Fact]
    public void AverageViews_MeansSoftmaxOfAdjacentRows()
    {
        using var scope = NewDisposeScope();
        var scores = tensor(new float[] { 0, 0, 10, 0, 0, 10, 2, 2, 1, 1, 3, 3 }).view(6, 2); // N 2 × V 3
        var averaged = Accuracy.AverageViews(scores, 3);
        Assert.Equal([2L, 2L], averaged.shape);
        double p = 1 / (1 + Math.Exp(-10)); // softmax of (10, 0)
        var a = averaged.data<float>().ToArray();
        Assert.Equal((0.5 + p + (1 - p)) / 3, a[0], 5);
        Assert.Equal(0.5, a[2], 5);
        Assert.Equal(1.0, a[2] + a[3], 5);
        Assert.Equal("viewsPerSample", Assert.Throws<ArgumentOutOfRangeException>(() => Accuracy.AverageViews(scores, 4)).ParamName);
    }
}
