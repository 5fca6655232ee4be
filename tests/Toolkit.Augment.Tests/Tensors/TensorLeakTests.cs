using Toolkit.Augment.Pipeline;
using Toolkit.Augment.Tensors.Batch;
using Toolkit.Augment.Tensors.Clips;
using Toolkit.Augment.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace Toolkit.Augment.Tests.Tensors;

/// <summary>Every temporary tensor is disposed: the thread's live-tensor count returns to its baseline once the caller disposes what it was given.</summary>
[Trait("Category", "Unit")]
public sealed class TensorLeakTests
{
    private static long Live => DisposeScopeManager.Statistics.ThreadTotalLiveCount;

    [Theory]
    [InlineData(MixMode.Batch)]
    [InlineData(MixMode.Pair)]
    [InlineData(MixMode.Elem)]
    public void Mix_LeavesOnlyItsResult(MixMode mode)
    {
        var mixer = new BatchMixer(new MixOptions { NumClasses = 4, Mode = mode });
        using var g = new Generator(1, CPU);
        using var x = rand([4, 3, 2, 8, 8], generator: g);
        using var y = tensor(new long[] { 0, 1, 2, 3 });
        long baseline = Live;

        var r = mixer.Mix(x, y, g);
        Assert.Equal(baseline + 2, Live); // videos and targets
        r.Dispose();

        Assert.Equal(baseline, Live);
    }

    [Fact]
    public void FromClipAndReplay_LeaveOnlyTheirResults()
    {
        using var clip = Synthetic.Noise(64, 48, 2, seed: 1);
        using var cpu = Recipes.Get("rrc").Run(clip, new Random(3));
        long baseline = Live;

        var input = ClipTensors.FromClip(clip);
        var output = ClipTensors.Replay(input, ClipKind.Rgb, cpu.Applied);
        Assert.Equal(baseline + 2, Live);
        output.Dispose();
        input.Dispose();

        Assert.Equal(baseline, Live);
    }
}
