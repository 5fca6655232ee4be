using Toolkit.Trainers.Models;
using Toolkit.Trainers.Tests.Support;
using Toolkit.Trainers.Weights;
using static TorchSharp.torch;

namespace Toolkit.Trainers.Tests.Weights;

/// <summary>Import from each source's real container and key layout, parity against reference outputs, and every refusal.</summary>
[Collection(WeightFixturesCollection.Name)]
public sealed class WeightImportTests(WeightFixtures fx)
{
    private static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();

    // "i3d-r50@1": i3d-r50 with stem temporal stride 1 (pytorchvideo's i3d_r50).
    private static WeightImportOptions Quarter(string model, WeightSource source = WeightSource.Auto) =>
        new(new ModelSpec(model.Split('@')[0], 0) { Width = 0.25, StemTemporalStride = model.Contains('@') ? int.Parse(model.Split('@')[1], System.Globalization.CultureInfo.InvariantCulture) : null }) { Source = source };

    [Theory]
    [Trait("Category", "Unit")]
    [InlineData("mm_i3d.pth", "i3d-r50", "mmaction2", "state_dict", 0)]
    [InlineData("mm_i3d.safetensors", "i3d-r50", "mmaction2", "bare", 0)]
    [InlineData("ddp_slowonly.pth", "slowonly-r50", "mmaction2", "bare", 0)]
    [InlineData("mm_slowfast.pth", "slowfast-r50", "mmaction2", "state_dict", 0)]
    [InlineData("pv_slow_r50.pyth", "slowonly-r50", "pytorchvideo", "model_state", 0)]
    [InlineData("pv_x3d_m.pyth", "x3d-m", "pytorchvideo", "model_state", 5)]
    [InlineData("pv_i3d_r50.pyth", "i3d-r50@1", "pytorchvideo", "model_state", 0)]
    [InlineData("pv_mvit.pyth", "mvit-b", "pytorchvideo", "bare", 0)]
    [InlineData("sf_mvit.pyth", "mvit-b", "slowfast", "model_state", 0)]
    [InlineData("sf_mvit_2021.pyth", "mvit-b", "slowfast", "model_state", 0)]
    public void Import_EachSourceLayout_MapsEveryTensorOfOurs_SourceDetected(string file, string model, string source, string container, int defaulted)
    {
        using var weights = WeightImport.Run(fx[file], Quarter(model));
        var r = weights.Report;
        Assert.True(r.Complete, string.Join("\n", r.Lines()));
        Assert.Equal(source, WeightSources.Name(r.Source));
        Assert.Equal(container, r.Container);
        Assert.Equal(5, r.Model.Classes);
        Assert.Equal(defaulted, r.Defaulted.Count);
        using var net = r.Model.Create();
        Assert.Equal(net.state_dict().Count, weights.State.Count);
        weights.LoadInto(net); // every key and shape fits the real model
    }

    [Fact]
    [Trait("Category", "Unit")]
    public void Import_Values_AreTheSourceTensors_RenamedJoinedReshapedOrIdentity()
    {
        var read = (string f) => WeightsFile.Read(fx[f]);
        using (var file = read("mm_i3d.pth"))
        using (var w = WeightImport.Run(fx["mm_i3d.pth"], Quarter("i3d-r50")))
        {
            Assert.True(Same(w.State["backbone.stages.1.blocks.2.conv1.conv.weight"], file.Tensors["backbone.layer2.2.conv1.conv.weight"]));
            Assert.True(Same(w.State["backbone.conv1.norm.running_var"], file.Tensors["backbone.conv1.bn.running_var"]));
            Assert.True(Same(w.State["head.fc.weight"], file.Tensors["cls_head.fc_cls.weight"]));
        }
        using (var file = read("mm_slowfast.pth"))
        using (var w = WeightImport.Run(fx["mm_slowfast.pth"], Quarter("slowfast-r50")))
        {
            Assert.True(Same(w.State["backbone.laterals.0.conv.weight"], file.Tensors["backbone.slow_path.conv1_lateral.conv.weight"]));
            Assert.True(Same(w.State["backbone.laterals.3.conv.weight"], file.Tensors["backbone.slow_path.layer3_lateral.conv.weight"]));
            Assert.True(Same(w.State["backbone.fast.stages.3.blocks.2.conv3.norm.bias"], file.Tensors["backbone.fast_path.layer4.2.conv3.bn.bias"]));
        }
        using (var file = read("pv_mvit.pyth"))
        using (var w = WeightImport.Run(fx["pv_mvit.pyth"], Quarter("mvit-b")))
        {
            var joined = cat([file.Tensors["blocks.3.attn.q.weight"], file.Tensors["blocks.3.attn.k.weight"], file.Tensors["blocks.3.attn.v.weight"]], 0);
            Assert.True(Same(w.State["backbone.blocks.3.attn.qkv.weight"], joined));
            Assert.True(Same(w.State["backbone.pos_embed_temporal"], file.Tensors["cls_positional_encoding.pos_embed_temporal"]));
        }
        using (var file = read("pv_x3d_m.pyth"))
        using (var w = WeightImport.Run(fx["pv_x3d_m.pyth"], Quarter("x3d-m")))
        {
            // conv_t holds the spatial 1x3x3 conv in pytorchvideo (names swapped), the head's 1x1x1 conv is our fc1.
            Assert.True(Same(w.State["backbone.conv1S.conv.weight"], file.Tensors["blocks.0.conv.conv_t.weight"]));
            Assert.True(Same(w.State["head.fc1.weight"], file.Tensors["blocks.5.pool.post_conv.weight"].flatten(1)));
            // res2's first shortcut has no norm there: an identity BatchNorm here (x / sqrt(var + eps) = x).
            var bn = "backbone.stages.blocks.0.downsample.norm.";
            Assert.True(w.State[bn + "weight"].eq(1).all().item<bool>());
            Assert.True(w.State[bn + "running_mean"].eq(0).all().item<bool>());
            Assert.Equal(1.0, w.State[bn + "running_var"].add(1e-5).sqrt().mean().item<float>(), 6);
            // Stage 3 block 0 is our flat block 3 + 5 = 8.
            Assert.True(Same(w.State["backbone.stages.blocks.8.conv2.conv.weight"], file.Tensors["blocks.3.res_blocks.0.branch2.conv_b.weight"]));
        }
    }

    [Theory]
    [Trait("Category", "Integration")]
    [InlineData("mm_x3d.pth", "mm_x3d.check.pt", "x3d-m", 400)]
    [InlineData("timm_deit.pth", "timm_deit.check.pt", "deit-ti", 1000)]
    public void ZooCheckpoints_ReproduceTheReferenceOutputs(string checkpoint, string check, string model, int classes)
    {
        using var weights = WeightImport.Run(WeightFixtures.Zoo(checkpoint), new WeightImportOptions(new ModelSpec(model, 0)));
        Assert.True(weights.Report.Complete, string.Join("\n", weights.Report.Lines()));
        Assert.Equal(classes, weights.Model.Classes);
        using var net = weights.Model.Create();
        weights.LoadInto(net);
        var parity = ParityCheck.Run(net, WeightFixtures.Zoo(check));
        Assert.True(parity.Passed, parity.ToString());
        Assert.True(parity.MaxRel < 1e-5, parity.ToString());
    }

    [Fact]
    [Trait("Category", "Integration")]
    public void TorchVision_CentreInflation_ReproducesTheImageNetModelOnOneFrame_MeanInflationDoesNot()
    {
        var centre = Parity("slowonly-r50", Inflation.Centre);
        Assert.True(centre.Passed, centre.ToString());
        // Mean inflation (mmaction2's) divides each 3-tap kernel by 3: on a one-frame clip only the middle tap sees data,
        // so the check must fail - it proves the check can fail.
        var mean = Parity("slowonly-r50", Inflation.Mean);
        Assert.False(mean.Passed, mean.ToString());

        ParityResult Parity(string model, Inflation inflation)
        {
            using var weights = WeightImport.Run(fx["tv_r50.pth"], new WeightImportOptions(new ModelSpec(model, 0)) { Inflation = inflation });
            Assert.True(weights.Report.Complete, string.Join("\n", weights.Report.Lines()));
            Assert.Equal(WeightSource.TorchVision, weights.Report.Source);
            using var net = weights.Model.Create();
            weights.LoadInto(net);
            return ParityCheck.Run(net, fx["tv_r50.check.pt"]);
        }
    }

    [Fact]
    [Trait("Category", "Unit")]
    public void PyTorchVideoI3D_LoadsIntoTheStride1Variant_WhichKeepsEightFramesApart()
    {
        var ex = Assert.Throws<WeightsException>(() => WeightImport.Run(fx["pv_i3d_r50.pyth"], Quarter("i3d-r50")));
        Assert.Contains("stem temporal stride 1", ex.Message, StringComparison.Ordinal);
        using var w = WeightImport.Run(fx["pv_i3d_r50.pyth"], Quarter("i3d-r50@1"));
        using var file = WeightsFile.Read(fx["pv_i3d_r50.pyth"]);
        Assert.True(Same(w.State["backbone.stages.1.blocks.0.conv1.conv.weight"], file.Tensors["blocks.3.res_blocks.0.branch2.conv_a.weight"]));
        Assert.True(Same(w.State["head.fc.weight"], file.Tensors["blocks.6.proj.weight"]));
        // Stride 1: an 8-frame clip keeps 8 -> 4 (pool after res2) frames to res5; mmaction2's stride 2 leaves 1.
        using var pv = w.Model.Create();
        using var mm = (w.Model with { StemTemporalStride = null }).Create();
        using var x = randn([1, 3, 8, 32, 32]);
        Assert.Equal(4L, pv.Backbone.call(x).shape[2]);
        Assert.Equal(1L, mm.Backbone.call(x).shape[2]);
    }

    [Fact]
    [Trait("Category", "Unit")]
    public void TorchVision_MeanInflation_RepeatsTheKernelOverTimeDividedByT()
    {
        using var file = WeightsFile.Read(fx["tv_r50.pth"]);
        using var w = WeightImport.Run(fx["tv_r50.pth"], new WeightImportOptions(new ModelSpec("i3d-r50", 0)));
        var stem = w.State["backbone.conv1.conv.weight"];           // 64 x 3 x 5 x 7 x 7
        Assert.Equal([64L, 3, 5, 7, 7], stem.shape);
        for (int t = 0; t < 5; t++)
            Assert.True(stem.select(2, t).mul(5).allclose(file.Tensors["conv1.weight"], rtol: 1e-6, atol: 1e-7));
        Assert.True(Same(w.State["backbone.stages.0.blocks.0.conv1.norm.weight"], file.Tensors["layer1.0.bn1.weight"]));
        Assert.True(Same(w.State["backbone.stages.0.blocks.0.downsample.norm.bias"], file.Tensors["layer1.0.downsample.1.bias"]));
    }
}
