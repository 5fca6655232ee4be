using Toolkit.Augment.Tensors.Batch;
using static TorchSharp.torch;

namespace Toolkit.Augment.Tests.Tensors.Batch;

public sealed class SoftTargetsTests
{
    [Fact]
    public void FromLabels_SharesOneMinusEpsilonAmongARowsLabels_AndEpsilonOverKEverywhere()
    {
        using var scope = NewDisposeScope();
        var t = SoftTargets.FromLabels([[2], [0, 3]], classes: 4, smoothing: 0.2);

        float[] v = t.data<float>().ToArray();
        Assert.Equal(new long[] { 2, 4 }, t.shape);
        Assert.Equal([0.05f, 0.05f, 0.85f, 0.05f, 0.45f, 0.05f, 0.05f, 0.45f], v, new Close());
        Assert.All(Enumerable.Range(0, 2), i => Assert.Equal(1.0, v.Skip(i * 4).Take(4).Sum(), 5));
    }

    [Fact]
    public void FromIndices_AndFromLabels_AgreeForSingleLabels()
    {
        using var scope = NewDisposeScope();
        var a = SoftTargets.FromIndices(tensor(new long[] { 1, 0, 4 }), 5, 0.1);
        var b = SoftTargets.FromLabels([[1], [0], [4]], 5, 0.1);
        Assert.True(a.allclose(b, rtol: 0, atol: 1e-7));
        Assert.True(SoftTargets.Smooth(b, 0).Equals(b)); // ε = 0 leaves the targets as they are
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.0)]
    [InlineData(double.NaN)]
    public void BadSmoothing_IsRefused(double eps)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SoftTargets.FromLabels([[0]], 2, eps));
    }

    [Fact]
    public void LabelOutsideTheClasses_IsRefusedNamingIt()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => SoftTargets.FromLabels([[0], [5]], 3, 0));
        Assert.Contains("label 5 of row 1 is outside the 3 classes", e.Message, StringComparison.Ordinal);
    }

    private sealed class Close : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) < 1e-6;

        public int GetHashCode(float obj) => 0;
    }
}
