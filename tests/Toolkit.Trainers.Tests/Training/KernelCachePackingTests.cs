using Toolkit.Trainers.Training;
using static TorchSharp.torch;

namespace Toolkit.Trainers.Tests.Training;

/// <summary>
/// The first pass at each input shape, per mode, is packed (a scope is returned); a shape seen before is not. The
/// memory effect itself is measured by benchmarks/trainers/peer.sh (BENCHMARKS.md), not here.
/// </summary>
[Trait("Category", "Unit")]
public sealed class KernelCachePackingTests
{
    [Fact]
    public void Around_FirstPassPerShapeAndMode_IsPacked_RepeatsAreNot()
    {
        Assert.True(OperatingSystem.IsLinux(), "the test machines run glibc on Linux");
        var packing = new KernelCachePacking();
        using var a = zeros(new long[] { 2, 3, 4, 8, 8 });
        using var same = ones(new long[] { 2, 3, 4, 8, 8 });
        using var other = zeros(new long[] { 1, 3, 4, 8, 8 });
        using var half = zeros(new long[] { 2, 3, 4, 8, 8 }, ScalarType.Float16);

        var first = packing.Around(a, training: true);
        Assert.NotNull(first);
        first!.Dispose();
        first.Dispose();
        Assert.Null(packing.Around(same, training: true));
        using (var eval = packing.Around(same, training: false))
            Assert.NotNull(eval);
        Assert.Null(packing.Around(a, training: false));
        using (var next = packing.Around(other, training: true))
            Assert.NotNull(next);
        using (var dtype = packing.Around(half, training: true))
            Assert.NotNull(dtype);
        Assert.Equal(4, packing.Shapes);
        using (var again = new KernelCachePacking().Around(a, training: true))
            Assert.NotNull(again);
    }
}
