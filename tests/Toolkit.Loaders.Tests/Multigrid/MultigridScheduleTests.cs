using Toolkit.Core;
using Toolkit.Loaders.Multigrid;

namespace Toolkit.Loaders.Tests.Multigrid;

[Trait("Category", "Unit")]
public sealed class MultigridScheduleTests
{
    /// <summary>SlowFast's Kinetics stepwise multigrid config (SPEC §4's worked example).</summary>
    private static readonly MultigridOptions Kinetics = new()
    {
        Frames = 32, Crop = 224, Batch = 64, Gpus = 8, Steps = [0, 94, 154, 196], MaxEpoch = 239, Gamma = 0.1, LongCycle = true, ShortCycle = true,
    };

    [Fact]
    public void Create_KineticsExample_MatchesTheReferenceSchedule()
    {
        var s = MultigridSchedule.Create(Kinetics);

        Assert.Equal([0, 73, 110, 142, 158, 205, 228, 248, 259, 291, 308, 322, 329, 343], s.Steps);
        Assert.Equal(358, s.MaxEpoch);
        (int B, int T, int S)[] shapes = [(8, 8, 158), (4, 16, 158), (2, 16, 224), (1, 32, 224)];
        Assert.Equal(13, s.Stages.Count);
        for (int i = 0; i < 12; i++)
        {
            var stage = s.Stages[i];
            Assert.Equal(shapes[i % 4], (stage.BatchMultiplier, stage.Frames, stage.Crop));
            Assert.Equal(i / 4, stage.Step);
        }
        Assert.Equal(new LongCycleStage(3, 1, 32, 224, 358), s.Stages[^1]);
        // γ^step × B, the fine-tune phase's first half keeping the last stage's rate.
        double[] lrs = [8, 4, 2, 1, 0.8, 0.4, 0.2, 0.1, 0.08, 0.04, 0.02, 0.01, 0.01, 0.001];
        Assert.Equal(lrs.Length, s.RelativeLearningRates.Count);
        for (int i = 0; i < lrs.Length; i++)
            Assert.Equal(lrs[i], s.RelativeLearningRates[i], 12);
    }

    [Fact]
    public void Create_KineticsExample_KeepsBatchTimesVolumeConstantAndItsShortCycle()
    {
        var s = MultigridSchedule.Create(Kinetics);
        foreach (var stage in s.Stages)
            Assert.InRange(stage.BatchMultiplier * stage.Frames * stage.Crop * stage.Crop / (32.0 * 224 * 224), 0.98, 1.02);
        Assert.Equal([2, 1, 1], s.ShortCycleFactors(0));       // at crop 158: round((158/112)²), round((158/158.4)²)
        Assert.Equal([2, 1, 1], s.ShortCycleFactors(200));     // epoch 200: step 1's first stage, crop 158 again
        Assert.Equal([4, 2, 1], s.ShortCycleFactors(350));     // at crop 224
        Assert.Equal(new IterationShape(64 * 8 * 2, 8, 112, 0, 0, 0), s.Shape(0, 0));
        Assert.Equal(new IterationShape(64 * 8, 8, 158, 1, 0, 1), s.Shape(0, 1));
        Assert.Equal(new IterationShape(64 * 8, 8, 158, 2, 0, 2), s.Shape(0, 2));
        Assert.Equal(new IterationShape(64 * 4, 32, 112, 0, 350, 3), s.Shape(350, 3));
    }

    [Fact]
    public void LearningRateAndShape_FollowTheStepsAndStages()
    {
        var s = MultigridSchedule.Create(Kinetics);
        Assert.Equal(8, s.RelativeLearningRate(0), 12);
        Assert.Equal(8, s.RelativeLearningRate(72.9), 12);
        Assert.Equal(4, s.RelativeLearningRate(73), 12);
        Assert.Equal(0.01, s.RelativeLearningRate(342), 12);
        Assert.Equal(0.001, s.RelativeLearningRate(343), 12);
        Assert.Equal(0.001, s.RelativeLearningRate(357.5), 12);
        Assert.Equal((8, 8, 158), s.LongCycleShape(72));
        Assert.Equal((4, 16, 158), s.LongCycleShape(73));
        Assert.Equal((1, 32, 224), s.LongCycleShape(357));
        Assert.Equal((1, 32, 224), s.LongCycleShape(1000));
    }

    [Fact]
    public void Create_LongCycleWithoutShortCycle_Works()
    {
        // SlowFast raises IndexError here (it takes the third short-cycle shape of the fine-tune phase).
        var s = MultigridSchedule.Create(new MultigridOptions { Frames = 8, Crop = 224, Batch = 16, Steps = [0, 10], MaxEpoch = 20, LongCycle = true });

        // Mean batches are the shapes' own (8, 4, 2, 1); worked by hand in docs/loaders.md.
        Assert.Equal([13, 19, 22, 24, 30], s.Stages.Select(x => x.EndEpoch));
        Assert.Equal([8, 4, 2, 1, 1], s.Stages.Select(x => x.BatchMultiplier));
        Assert.Equal([0, 13, 19, 22, 24, 27], s.Steps);
        Assert.Equal(30, s.MaxEpoch);
        Assert.Equal([8, 4, 2, 1, 1, 0.1], s.RelativeLearningRates.Select(x => Math.Round(x, 12)));
        Assert.Equal([1, 1, 1], s.ShortCycleFactors(0));
        Assert.Equal(new IterationShape(128, 2, 158, 2, 0, 5), s.Shape(0, 5));
    }

    [Fact]
    public void Create_ShortCycleAlone_ScalesStepsAndEpochsWithTruncation()
    {
        var s = MultigridSchedule.Create(new MultigridOptions { Frames = 8, Crop = 224, Batch = 8, Steps = [0, 15, 25], MaxEpoch = 33, ShortCycle = true });
        Assert.Equal([0, 22, 37], s.Steps);   // int(15·1.5) = 22, int(25·1.5) = 37
        Assert.Equal(49, s.MaxEpoch);           // int(33·1.5) = 49
        Assert.Equal([1, 0.1, 0.01], s.RelativeLearningRates.Select(x => Math.Round(x, 12)));
        Assert.Equal([4, 2, 1], s.ShortCycleFactors(0));
        Assert.Equal([112, 158, 224], Enumerable.Range(0, 3).Select(i => s.Shape(0, i).Crop));
    }

    [Fact]
    public void Create_NoCycle_IsTheBaseSchedule()
    {
        var s = MultigridSchedule.Create(new MultigridOptions { Frames = 16, Crop = 160, Batch = 8, Steps = [0, 30], MaxEpoch = 40, Gamma = 0.5 });
        Assert.Equal([0, 30], s.Steps);
        Assert.Equal(40, s.MaxEpoch);
        Assert.Equal(new IterationShape(8, 16, 160, 2, 3, 7), s.Shape(3, 7));
        Assert.Equal(0.5, s.RelativeLearningRate(35), 12);
    }

    [Theory]
    [InlineData(1000, false)]
    [InlineData(1010, false)]
    [InlineData(1010, true)]
    [InlineData(7, false)]
    [InlineData(0, false)]
    public void ShortCycleBatches_CoverTheEpochExactly(int samples, bool dropLast)
    {
        var s = MultigridSchedule.Create(new MultigridOptions { Frames = 8, Crop = 224, Batch = 8, Steps = [0, 10], MaxEpoch = 20, ShortCycle = true });
        var batches = s.ShortCycleBatches(0, samples, dropLast);

        int covered = batches.Sum(b => b.Batch);
        Assert.Equal(dropLast ? samples - (samples - covered) : samples, covered);
        Assert.True(covered <= samples && samples - covered < 32, "at most one short batch dropped");
        for (int i = 0; i < batches.Count - 1; i++)
            Assert.Equal((new[] { 32, 16, 8 })[i % 3], batches[i].Batch);
        if (samples == 1000)
        {
            // 1000 = 17 × (32 + 16 + 8) + 32 + 16: 53 batches; the reference's estimate ceil(1000 / mean(32, 16, 8)) says 54.
            Assert.Equal(53, batches.Count);
            Assert.NotEqual((int)Math.Ceiling(1000 / (56 / 3.0)), batches.Count);
        }
        if (samples == 1010)
        {
            // 1010 = 18 × 56 + 2: 54 full batches and a short one of 2, kept unless drop_last.
            Assert.Equal(dropLast ? 54 : 55, batches.Count);
            Assert.Equal(dropLast ? 8 : 2, batches[^1].Batch);
        }
    }

    [Fact]
    public void BatchNorm_ChosenFromThePerGpuBatch()
    {
        var s = MultigridSchedule.Create(Kinetics);
        Assert.Equal(new BatchNormChoice(BatchNormKind.SubBatchNorm, 8, 1), s.BatchNorm(0));   // 64·8 / 8 GPUs = 64 per GPU, base 8
        Assert.Equal(new BatchNormChoice(BatchNormKind.BatchNorm, 1, 1), s.BatchNorm(350));   // 64 / 8 = 8
        var small = MultigridSchedule.Create(Kinetics with { Batch = 16 });
        Assert.Equal(new BatchNormChoice(BatchNormKind.SyncBatchNorm, 1, 4), small.BatchNorm(350)); // 2 per GPU: sync over 4
    }

    [Fact]
    public void SamplingRateAndJitter_AsTheReferenceLoader()
    {
        var s = MultigridSchedule.Create(Kinetics);
        Assert.Equal((2, 8), s.SamplingRateRange(0, 2));     // T = 8 of 32: rates up to 2 × 4
        Assert.Equal((2, 4), s.SamplingRateRange(100, 2));   // T = 16 (epoch 100: the (4, 16, 158) stage)
        Assert.Equal((2, 2), s.SamplingRateRange(357, 2));
        Assert.Equal(128, s.JitterMinScale(256, 112));
        Assert.Equal(181, s.JitterMinScale(256, 158));       // round(256·158/224) = round(180.57)
    }

    [Theory]
    [InlineData("MultigridOptions.Steps")]
    [InlineData("MultigridOptions.MaxEpoch")]
    [InlineData("MultigridOptions.Batch")]
    [InlineData("MultigridOptions.LongCycleFactors")]
    [InlineData("MultigridOptions.ShortCycleFactors")]
    public void Create_BadOptions_NameTheOption(string option)
    {
        var bad = option switch
        {
            "MultigridOptions.Steps" => Kinetics with { Steps = [0, 94, 94] },
            "MultigridOptions.MaxEpoch" => Kinetics with { MaxEpoch = 196 },
            "MultigridOptions.Batch" => Kinetics with { Batch = 63 },
            "MultigridOptions.LongCycleFactors" => Kinetics with { LongCycleFactors = [new(0, 1)] },
            _ => Kinetics with { ShortCycleFactors = [0.5] },
        };
        var e = Assert.Throws<ToolkitError>(() => MultigridSchedule.Create(bad));
        Assert.StartsWith(option + ":", e.Message, StringComparison.Ordinal);
    }
}
