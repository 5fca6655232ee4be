namespace Toolkit.Trainers.Weights;

/// <summary>
/// The key maps, one table per source and family of architectures (docs/weights.md lists them with the reasons for
/// every refusal). Each map turns our keys into the source's: import reads every tensor our model has from the
/// source, export writes our tensors under the source's names.
/// </summary>
internal static class KeyMaps
{
    private static readonly string[] ResNets = ["i3d-r50", "slowonly-r50", "slowfast-r50"];
    private static readonly string[] Cnns = ["i3d-r50", "slowonly-r50", "slowfast-r50", "x3d-m"];
    private static readonly string[] DeiTs = ["deit-ti", "deit-s", "deit-b"];

    // Bottleneck convs of mmaction2-style blocks to pytorchvideo's branch names (shared by slow_r50 and x3d_m).
    private static Rename[] BottleneckToPyTorchVideo =>
    [
        new(@"\.downsample\.conv\.", ".branch1_conv."),
        new(@"\.downsample\.norm\.", ".branch1_norm."),
        new(@"\.conv1\.conv\.", ".branch2.conv_a."),
        new(@"\.conv1\.norm\.", ".branch2.norm_a."),
        new(@"\.conv2\.conv\.", ".branch2.conv_b."),
        new(@"\.conv3\.conv\.", ".branch2.conv_c."),
        new(@"\.conv3\.norm\.", ".branch2.norm_c."),
    ];

    /// <summary>Every map, refusals included.</summary>
    public static IReadOnlyList<KeyMap> All { get; } =
    [
        new(WeightSource.Toolkit, "toolkit", [.. Toolkit.Trainers.Models.ModelZoo.All.Select(e => e.Name)]),

        // mmaction2 Recognizer3D: backbone.{conv1, layer{i}.{j}.conv{1,2,3}/downsample (ConvModule: .conv, .bn)}, cls_head.fc_cls;
        // SlowFast: backbone.{slow,fast}_path.*, slow_path.conv1_lateral / layer{i}_lateral (conv only);
        // X3D: backbone.conv1_s / conv1_t, layer{i}.{j} with se_module.fc1/fc2, conv5; cls_head.fc1 / fc2.
        new(WeightSource.Mmaction2, "mmaction2 Recognizer3D", Cnns)
        {
            Renames =
            [
                new(@"^backbone\.(?<p>slow|fast)\.", "backbone.{p}_path."),
                new(@"^backbone\.laterals\.0\.", "backbone.slow_path.conv1_lateral."),
                new(@"^backbone\.laterals\.(?<k>\d+)\.", "backbone.slow_path.layer{k}_lateral."),
                new(@"\.stages\.(?<s>\d+)\.blocks\.", ".layer{s+1}."),
                new(@"\.stages\.blocks\.(?<n>\d+)\.", ".layer{stage:n}.{block:n}."),
                new(@"^backbone\.conv1S\.", "backbone.conv1_s."),
                new(@"^backbone\.conv1T\.", "backbone.conv1_t."),
                new(@"\.se\.", ".se_module."),
                new(@"\.norm\.", ".bn."),
                new(@"^head\.fc\.", "cls_head.fc_cls."),
                new(@"^head\.", "cls_head."),
            ],
            // mmaction2 1.x data preprocessors keep mean/std as buffers in some checkpoints: normalization, not weights.
            Ignore = [@"^data_preprocessor\."],
        },

        // timm VisionTransformer (deit_*_patch16_224): cls_token, pos_embed, patch_embed.proj, blocks.{i}.*, norm, head.
        new(WeightSource.Timm, "timm VisionTransformer", DeiTs)
        {
            Renames =
            [
                new(@"^backbone\.patch_embed\.", "patch_embed.proj."),
                new(@"^backbone\.", ""),
                new(@"^head\.fc\.", "head."),
            ],
            RefuseWhen =
            [
                new(@"^(dist_token|head_dist\.)", "is a distilled DeiT (deit_*_distilled_patch16_224: a distillation token and a second head whose logits timm averages with the class head's at inference); ours has neither, so its outputs could not be reproduced: use the non-distilled deit_*_patch16_224 checkpoint"),
            ],
        },

        // torchvision resnet50 (ImageNet), inflated into a 3-D ResNet-50 as mmaction2's pretrained2d: conv1 -> conv1.conv,
        // bn1 -> conv1.bn, layerX.Y.convN / bnN -> convN.conv / .bn, downsample.0 / .1 -> downsample.conv / .bn; fc -> head.
        new(WeightSource.TorchVision, "torchvision ResNet-50, inflated", ["i3d-r50", "slowonly-r50"])
        {
            Renames =
            [
                new(@"^backbone\.stages\.(?<s>\d+)\.blocks\.", "layer{s+1}."),
                new(@"^backbone\.conv1\.conv\.", "conv1."),
                new(@"^backbone\.conv1\.norm\.", "bn1."),
                new(@"\.conv(?<k>[123])\.conv\.", ".conv{k}."),
                new(@"\.conv(?<k>[123])\.norm\.", ".bn{k}."),
                new(@"\.downsample\.conv\.", ".downsample.0."),
                new(@"\.downsample\.norm\.", ".downsample.1."),
                new(@"^head\.fc\.", "fc."),
            ],
            Tensors = [new(".*", TensorOp.Inflate)],
        },
        // pytorchvideo slow_r50 (create_resnet): blocks.0 stem, blocks.{1..4}.res_blocks.{j}.branch1_* / branch2.conv_a..norm_c, blocks.5.proj.
        new(WeightSource.PyTorchVideo, "pytorchvideo ResNet (slow_r50)", ["slowonly-r50"])
        {
            Renames =
            [
                new(@"^backbone\.conv1\.conv\.", "blocks.0.conv."),
                new(@"^backbone\.conv1\.norm\.", "blocks.0.norm."),
                new(@"^backbone\.stages\.(?<s>\d+)\.blocks\.(?<b>\d+)\.", "blocks.{s+1}.res_blocks.{b}."),
                .. BottleneckToPyTorchVideo,
                new(@"\.conv2\.norm\.", ".branch2.norm_b."),
                new(@"^head\.fc\.", "blocks.5.proj."),
            ],
            Note = "pytorchvideo's slow_r50 head averages with a fixed (8, 7, 7) window: outputs are identical for 8 x 224 x 224 clips; ours averages globally at any size",
        },

        // pytorchvideo x3d_m (create_x3d): stem conv_t (spatial!) / conv_xy (temporal!) names swapped, SE as norm_b.1.block.{0,2},
        // res2's first shortcut has no norm (identity here), the head's fc1 is a 1x1x1 conv (post_conv).
        new(WeightSource.PyTorchVideo, "pytorchvideo X3D (x3d_m)", ["x3d-m"])
        {
            Renames =
            [
                new(@"^backbone\.conv1S\.conv\.", "blocks.0.conv.conv_t."),
                new(@"^backbone\.conv1T\.conv\.", "blocks.0.conv.conv_xy."),
                new(@"^backbone\.conv1T\.norm\.", "blocks.0.norm."),
                new(@"^backbone\.stages\.blocks\.(?<n>\d+)\.", "blocks.{stage:n}.res_blocks.{block:n}."),
                .. BottleneckToPyTorchVideo,
                new(@"\.conv2\.norm\.", ".branch2.norm_b.0."),
                new(@"\.se\.fc1\.", ".branch2.norm_b.1.block.0."),
                new(@"\.se\.fc2\.", ".branch2.norm_b.1.block.2."),
                new(@"^backbone\.conv5\.conv\.", "blocks.5.pool.pre_conv."),
                new(@"^backbone\.conv5\.norm\.", "blocks.5.pool.pre_norm."),
                new(@"^head\.fc1\.", "blocks.5.pool.post_conv."),
                new(@"^head\.fc2\.", "blocks.5.proj."),
            ],
            Tensors =
            [
                new(@"^blocks\.1\.res_blocks\.0\.branch1_norm\.", TensorOp.IdentityNorm),
                new(@"^blocks\.5\.pool\.post_conv\.weight$", TensorOp.Reshape),
            ],
            Note = "pytorchvideo's X3D head pools with a fixed (16, 7, 7) window before its ReLU: outputs are identical for 16 x 224 x 224 clips; ours (mmaction2's head) averages globally, which differs slightly at other sizes",
        },

        // pytorchvideo mvit_base_16x4: separate attn.q / k / v (joined into our qkv), cls_positional_encoding.*, norm_embed, head.proj;
        // the _attention_pool_* aliases repeat pool_* / norm_* and are read past.
        new(WeightSource.PyTorchVideo, "pytorchvideo MViT (mvit_base_16x4)", ["mvit-b"])
        {
            Renames =
            [
                new(@"^backbone\.patch_embed\.", "patch_embed.patch_model."),
                new(@"^backbone\.(?<p>cls_token|pos_embed_spatial|pos_embed_temporal|pos_embed_class)$", "cls_positional_encoding.{p}"),
                new(@"^backbone\.norm\.", "norm_embed."),
                new(@"^backbone\.", ""),
                new(@"^head\.fc\.", "head.proj."),
            ],
            Tensors = [new(@"^(?<p>blocks\.\d+\.attn)\.qkv\.(?<t>weight|bias)$", TensorOp.Join, "{p}.q.{t}", "{p}.k.{t}", "{p}.v.{t}")],
            Ignore = [@"\._attention_pool_"],
        },
        // pytorchvideo i3d_r50: as slow_r50, but blocks.2 is the parameter-free pool after res2 (res3..res5 = blocks.3..5,
        // head blocks.6), and its stem has temporal stride 1 (our i3d-r50 with StemTemporalStride 1).
        new(WeightSource.PyTorchVideo, "pytorchvideo ResNet (i3d_r50)", ["i3d-r50"])
        {
            Renames =
            [
                new(@"^backbone\.conv1\.conv\.", "blocks.0.conv."),
                new(@"^backbone\.conv1\.norm\.", "blocks.0.norm."),
                new(@"^backbone\.stages\.0\.blocks\.(?<b>\d+)\.", "blocks.1.res_blocks.{b}."),
                new(@"^backbone\.stages\.(?<s>\d+)\.blocks\.(?<b>\d+)\.", "blocks.{s+2}.res_blocks.{b}."),
                .. BottleneckToPyTorchVideo,
                new(@"\.conv2\.norm\.", ".branch2.norm_b."),
                new(@"^head\.fc\.", "blocks.6.proj."),
            ],
            Requires = spec => spec.StemTemporalStride == 1 ? null :
                "pytorchvideo's i3d_r50 has temporal stride 1 in its stem convolution and stem max pool, where mmaction2's I3D R50 (our default) has 2 and 2 (an 8-frame clip against mmaction2's 32): every tensor would load and the network would compute another function. Build i3d-r50 with stem temporal stride 1 (weights import --stem-temporal-stride 1; trainer.stem_temporal_stride: 1), which is pytorchvideo's network",
            Note = "pytorchvideo's i3d_r50 head averages with a fixed (4, 7, 7) window: outputs are identical for 8 x 224 x 224 clips; ours averages globally at any size",
        },
        new(WeightSource.PyTorchVideo, "pytorchvideo slowfast_r50", ["slowfast-r50"])
        {
            Refusal = "pytorchvideo's slowfast_r50 follows each lateral convolution with BatchNorm and ReLU (mmaction2's lateral_norm variant), which ours does not have, concatenates [slow, fast] in its head and picks the slow frames by linspace: its outputs cannot be reproduced. Use mmaction2's slowfast_r50 8x8 checkpoints",
        },

        // SlowFast (facebookresearch/SlowFast) MViT v1, MVIT_B_16x4_CONV: {"model_state": …}, patch_embed.proj, joint attn.qkv
        // (separate q / k / v in checkpoints of the 2021 code: joined), norm, head.projection.
        new(WeightSource.SlowFast, "SlowFast MViT", ["mvit-b"])
        {
            Renames =
            [
                new(@"^backbone\.patch_embed\.", "patch_embed.proj."),
                new(@"^backbone\.", ""),
                new(@"^head\.fc\.", "head.projection."),
            ],
            Fallbacks = [new(@"^(?<p>blocks\.\d+\.attn)\.qkv\.(?<t>weight|bias)$", TensorOp.Join, "{p}.q.{t}", "{p}.k.{t}", "{p}.v.{t}")],
            Note = "SlowFast's MViT head applies a softmax in eval mode; ours returns logits (a parity file must hold the logits)",
        },

        new(WeightSource.TorchVision, "torchvision ResNet-50", ["slowfast-r50", "x3d-m", "mvit-b", .. DeiTs])
        {
            Refusal = "torchvision's 2-D ResNet-50 inflates into i3d-r50 and slowonly-r50 only: SlowFast's fast pathway and laterals, X3D and the transformers have no 2-D counterpart there",
        },
    ];

    /// <summary>The map from <paramref name="source"/> for <paramref name="architecture"/>.</summary>
    /// <exception cref="WeightsException">No such map, or the source is refused for this architecture (the reason is given).</exception>
    public static KeyMap For(WeightSource source, string architecture, string path)
    {
        var map = All.FirstOrDefault(m => m.Source == source && m.Architectures.Contains(architecture, StringComparer.OrdinalIgnoreCase));
        if (map is null)
        {
            var from = All.Where(m => m.Source == source && m.Refusal is null).SelectMany(m => m.Architectures).Distinct().ToList();
            throw new WeightsException(path, $"no key map from {WeightSources.Name(source)} to {architecture}: {WeightSources.Name(source)} checkpoints load into {(from.Count > 0 ? string.Join(", ", from) : "nothing yet")}");
        }
        if (map.Refusal is { } why)
            throw new WeightsException(path, $"refused: {WeightSources.Name(source)} weights cannot be loaded faithfully into {architecture}: {why}");
        return map;
    }

    /// <summary>The map from <paramref name="source"/> for <paramref name="spec"/>, refusing a variant the source needs and the model lacks.</summary>
    /// <exception cref="WeightsException">No such map, or refused (the reason is given).</exception>
    public static KeyMap For(WeightSource source, Toolkit.Trainers.Models.ModelSpec spec, string path)
    {
        var map = For(source, spec.Architecture, path);
        if (map.Requires?.Invoke(spec) is { } why)
            throw new WeightsException(path, $"refused: {WeightSources.Name(source)} weights cannot be loaded faithfully into {spec}: {why}");
        return map;
    }

    /// <summary>The source whose layout <paramref name="keys"/> look like, or null when none fits.</summary>
    public static WeightSource? Detect(IReadOnlyCollection<string> keys)
    {
        bool Any(string prefix) => keys.Any(k => k.StartsWith(prefix, StringComparison.Ordinal));
        if (Any("backbone.") && (Any("head.fc") || Any("backbone.stages.") || Any("backbone.laterals.")))
            return WeightSource.Toolkit;
        if (Any("backbone.") || Any("cls_head."))
            return WeightSource.Mmaction2;
        if (Any("patch_embed.proj.") && keys.Contains("cls_token"))
            return keys.Contains("pos_embed_spatial") ? WeightSource.SlowFast : WeightSource.Timm;
        if (keys.Contains("pos_embed_spatial") || Any("s1.pathway0_stem"))
            return WeightSource.SlowFast;
        if (Any("blocks.0.") && (keys.Any(k => k.Contains(".res_blocks.", StringComparison.Ordinal)) || Any("cls_positional_encoding.")))
            return WeightSource.PyTorchVideo;
        if (keys.Contains("conv1.weight") && keys.Contains("bn1.weight") && Any("layer1.0."))
            return WeightSource.TorchVision;
        return null;
    }

}

/// <summary>Names of the sources as users type them.</summary>
public static class WeightSources
{
    /// <summary>The name users type for a source (<c>mmaction2</c>, <c>pytorchvideo</c>, …).</summary>
    public static string Name(WeightSource source) => source.ToString().ToLowerInvariant();

    /// <summary>Parses a source name (case-insensitive); null when unknown.</summary>
    public static WeightSource? Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Enum.GetValues<WeightSource>().Cast<WeightSource?>().FirstOrDefault(s => Name(s!.Value) == text.Trim().ToLowerInvariant());
    }
}
