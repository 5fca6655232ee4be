using Toolkit.Trainers.Training.Precision;
using static TorchSharp.torch;

namespace Toolkit.Trainers.Tests.Training.Precision;

/// <summary>Channels-last 3-D: NDHWC strides, the same values, and libtorch's 3-D convolution keeps the layout.</summary>
[Trait("Category", "Unit")]
public sealed class MemoryLayoutTests
{
    [Fact]
    public void ChannelsLast3d_HasNdhwcStrides_SameValues_InputUntouched()
    {
        using var g = new Generator(3);
        using var x = randn([2, 3, 4, 5, 6], generator: g);
        using var cl = MemoryLayout.ChannelsLast3d(x);
        Assert.Equal(new long[] { 2, 3, 4, 5, 6 }, cl.shape);
        Assert.Equal(new long[] { 3 * 4 * 5 * 6, 1, 3 * 5 * 6, 3 * 6, 3 }, cl.stride());
        Assert.True(MemoryLayout.IsChannelsLast3d(cl));
        Assert.False(MemoryLayout.IsChannelsLast3d(x));
        Assert.True(x.is_contiguous());
        Assert.True(cl.eq(x).all().item<bool>());
    }

    [Fact]
    public void Conv3d_OnChannelsLastInput_KeepsTheLayout_AndTheValues()
    {
        using var g = new Generator(5);
        using var conv = nn.Conv3d(8, 16, 3, padding: 1);
        using var x = randn([2, 8, 4, 10, 10], generator: g);
        using var cl = MemoryLayout.ChannelsLast3d(x);
        using var noGrad = no_grad();
        using var y = conv.call(x);
        using var ycl = conv.call(cl);
        Assert.True(MemoryLayout.IsChannelsLast3d(ycl), $"strides [{string.Join(", ", ycl.stride())}]");
        Assert.True(ycl.allclose(y, rtol: 1e-4, atol: 1e-5));
    }

    [Fact]
    public void ChannelsLast3d_RejectsOtherRanks()
    {
        using var x = zeros(2, 3, 4, 5);
        Assert.Throws<ArgumentException>(() => MemoryLayout.ChannelsLast3d(x));
    }
}
