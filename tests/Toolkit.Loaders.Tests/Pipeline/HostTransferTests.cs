using Toolkit.Loaders.Pipeline;
using static TorchSharp.torch;

namespace Toolkit.Loaders.Tests.Pipeline;

/// <summary>
/// The collator's host-to-device path on a machine without CUDA: pinning is refused by libtorch (or is a no-op), the
/// refusal is remembered and the pageable fallback returns the same values; a CPU device keeps the host tensor.
/// </summary>
[Trait("Category", "Unit")]
public sealed class HostTransferTests
{
    [Fact]
    public void Pinned_WithoutCuda_FallsBackToTheHostTensor_AndRemembersWhy()
    {
        if (cuda.is_available())
            return; // on a CUDA machine pinning works: nothing to fall back from
        var transfer = new HostTransfer(new Device(TorchSharp.DeviceType.CUDA, 0), pin: true);
        using var host = arange(24, ScalarType.Byte).view(2, 3, 4);
        var staged = transfer.Pinned(host);
        Assert.Same(host, staged);
        Assert.False(staged.is_pinned());
        Assert.False(string.IsNullOrWhiteSpace(transfer.PinFailure));
        Assert.DoesNotContain('\n', transfer.PinFailure!);
        // The second batch does not try again (and so does not throw again): same answer, same reason.
        using var next = ones(3, dtype: ScalarType.Byte);
        Assert.Same(next, transfer.Pinned(next));
    }

    [Fact]
    public void ToDevice_OnCpu_IsTheHostTensorItself_AndNeverPins()
    {
        var transfer = new HostTransfer(CPU, pin: true);
        using var host = arange(6, ScalarType.Float32);
        Assert.False(transfer.ToAccelerator);
        Assert.Same(host, transfer.ToDevice(host));
        Assert.Null(transfer.PinFailure);
    }

    [Fact]
    public void Pinned_TurnedOff_IsTheHostTensor_WithoutTrying()
    {
        var transfer = new HostTransfer(new Device(TorchSharp.DeviceType.CUDA, 0), pin: false);
        using var host = arange(6, ScalarType.Float32);
        Assert.Same(host, transfer.Pinned(host));
        Assert.Null(transfer.PinFailure);
    }
}
