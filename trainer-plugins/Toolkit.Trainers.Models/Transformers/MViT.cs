using Toolkit.Trainers.Models.Stochastic;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Toolkit.Trainers.Models.Transformers;

/// <summary>
/// MViT-B 16×4 v1 (Fan et al. 2021; SlowFast <c>MVIT_B_16x4_CONV</c>, pytorchvideo
/// <c>create_multiscale_vision_transformers</c> with its defaults): a Conv3d patch embedding (kernel 3×7×7, stride
/// 2×4×4, padding 1×3×3) to 96 channels, separable space / time position embeddings and a class token, then 16
/// multiscale blocks. Width and heads double at blocks 1, 3 and 14 (the block before widens through its MLP and a
/// projection of the shortcut), queries are pooled by 1×2×2 there, keys and values by an adaptive stride starting at
/// 1×8×8; pooling is a depthwise Conv3d 3×3×3 followed by LayerNorm. MLP ratio 4, qkv bias, stochastic depth 0.2
/// (training only), final LayerNorm; the head is dropout and a linear on the class token. Input N × 3 × T × H × W.
/// </summary>
/// <remarks>
/// <see cref="ModelOptions.Width"/> scales the embedding width (rounded to a multiple of 8; later stages follow the
/// ×2 schedule); <see cref="ModelOptions.Depth"/> scales the blocks of each of the four stages (1, 2, 11, 2), each
/// keeping at least one. Of <see cref="ModelOptions.Transformer"/> only <see cref="TransformerOptions.DropPath"/>,
/// <see cref="TransformerOptions.ImageSize"/> and <see cref="TransformerOptions.Frames"/> apply; other variants throw.
/// </remarks>
public sealed class MViT : VideoModel
{
    private static readonly int[] StageBlocks = [1, 2, 11, 2];

    private readonly MViTBackbone backbone;
    private readonly Sequential head;

    /// <summary>Builds MViT-B with <paramref name="options"/>.</summary>
    /// <exception cref="NotSupportedException">A transformer variant other than the published one (LayerNorm, GELU, Pre-LN, no weight norm).</exception>
    public MViT(ModelOptions options) : base(nameof(MViT))
    {
        ArgumentNullException.ThrowIfNull(options);
        options = options.Validated();
        var t = (options.Transformer ?? new TransformerOptions()).Validated();
        if (!t.IsPublishedDefault)
            throw new NotSupportedException("MViT-B supports only the published variant (LayerNorm, GELU, Pre-LN, no weight normalization).");
        var stages = StageBlocks.Select(b => TokenLayers.ScaleDepth(b, options.Depth)).ToArray();
        long embed = TokenLayers.RoundTo(96 * options.Width, 8);
        backbone = new MViTBackbone(embed, stages, t.ImageSize ?? 224, t.Frames ?? 16, t.DropPath ?? 0.2, (ulong)options.Seed);
        Dims = backbone.Dims;
        head = Sequential(("dropout", new SeededDropout(options.Dropout)), ("fc", nn.Linear(backbone.OutDim, options.Classes)));
        RegisterComponents();
        if (options.Initialize)
        {
            using var generator = new Generator((ulong)options.Seed);
            ParamInit.InitLayers(this, generator);
            backbone.InitTokens(generator);
        }
    }

    /// <summary>Input width, output width and heads of every block (after the multipliers).</summary>
    public IReadOnlyList<(long Dim, long DimOut, long Heads)> Dims { get; }

    /// <inheritdoc />
    public override Module<Tensor, Tensor> Backbone => backbone;

    /// <inheritdoc />
    public override Module<Tensor, Tensor> Head => head;
}

/// <summary>MViT without the classifier: video → N × dim class-token feature (after the final LayerNorm).</summary>
internal sealed class MViTBackbone : Module<Tensor, Tensor>
{
    private readonly Module<Tensor, Tensor> patch_embed;
    private readonly Parameter cls_token;
    private readonly Parameter pos_embed_spatial;
    private readonly Parameter pos_embed_temporal;
    private readonly Parameter pos_embed_class;
    private readonly ModuleList<MViTBlock> blocks;
    private readonly Module<Tensor, Tensor> norm;
    private readonly long gridT;
    private readonly long gridS;

    public MViTBackbone(long embed, int[] stages, int imageSize, int frames, double dropPath, ulong seed) : base(nameof(MViTBackbone))
    {
        int depth = stages.Sum();
        // stage starts: where heads and width double and queries are pooled
        var starts = new HashSet<int>();
        for (int s = 1, at = 0; s < stages.Length; s++)
            starts.Add(at += stages[s - 1]);
        double DimMul(int i) => starts.Contains(i) ? 2.0 : 1.0;

        patch_embed = Conv3d(3, embed, (3, 7, 7), stride: (2, 4, 4), padding: (1, 3, 3));
        gridT = (frames + 2 - 3) / 2 + 1;
        gridS = (imageSize + 6 - 7) / 4 + 1;
        if (gridT < 1 || gridS < 1)
            throw new ArgumentOutOfRangeException(nameof(imageSize), imageSize, "ImageSize and Frames are too small for the patch embedding.");
        cls_token = new Parameter(zeros(1, 1, embed));
        pos_embed_spatial = new Parameter(zeros(1, gridS * gridS, embed));
        pos_embed_temporal = new Parameter(zeros(1, gridT, embed));
        pos_embed_class = new Parameter(zeros(1, 1, embed));

        long[] strideKv = [1, 8, 8];
        long heads = 1, dim = embed, dimOut = embed;
        var list = new MViTBlock[depth];
        var dims = new List<(long, long, long)>();
        for (int i = 0; i < depth; i++)
        {
            heads = RoundWidth(heads, DimMul(i), 1);
            dim = RoundWidth(dim, DimMul(i), heads);
            dimOut = RoundWidth(dim, DimMul(i + 1), RoundWidth(heads, DimMul(i + 1), 1));
            long[]? strideQ = starts.Contains(i) ? [1, 2, 2] : null;
            if (strideQ is not null)
                strideKv = [.. strideKv.Select((s, d) => Math.Max(s / strideQ[d], 1))];
            list[i] = new MViTBlock(dim, dimOut, heads, strideQ, strideKv, TokenLayers.DropPathRate(dropPath, i, depth), seed * 1000 + (ulong)i);
            dims.Add((dim, dimOut, heads));
        }
        Dims = dims;
        OutDim = dimOut;
        blocks = ModuleList(list);
        norm = LayerNorm(dimOut, eps: 1e-6);
        RegisterComponents();
    }

    public IReadOnlyList<(long Dim, long DimOut, long Heads)> Dims { get; }

    public long OutDim { get; }

    /// <summary>pytorchvideo: position embeddings and class token truncated normal, std 0.02.</summary>
    public void InitTokens(Generator generator)
    {
        foreach (var p in new[] { pos_embed_spatial, pos_embed_temporal, pos_embed_class, cls_token })
            ParamInit.TruncNormal(p, 0.02, generator);
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = patch_embed.call(input);                                  // N, C, T, H, W
        long n = x.shape[0], t = x.shape[2], h = x.shape[3], w = x.shape[4];
        x = x.flatten(2).transpose(1, 2);                                 // N, THW, C
        x = cat([cls_token.expand(n, -1, -1), x], 1);
        x = x + PositionEmbedding(t, h, w);
        long[] thw = [t, h, w];
        foreach (var block in blocks)
            (x, thw) = block.call(x, thw);
        x = norm.call(x);
        return x.select(1, 0).MoveToOuterDisposeScope();
    }

    // spatial repeated over time + temporal repeated over space, class in front (pytorchvideo
    // SpatioTemporalClsPositionalEncoding); resized (bicubic in space, linear in time) when the grid is not the built one.
    private Tensor PositionEmbedding(long t, long h, long w)
    {
        long c = pos_embed_spatial.shape[2];
        Tensor spatial = pos_embed_spatial, temporal = pos_embed_temporal;
        if (h != gridS || w != gridS)
        {
            var g = pos_embed_spatial.reshape(1, gridS, gridS, c).permute(0, 3, 1, 2);
            spatial = functional.interpolate(g, [h, w], mode: InterpolationMode.Bicubic, align_corners: false).permute(0, 2, 3, 1).reshape(1, h * w, c);
        }
        if (t != gridT)
            temporal = functional.interpolate(pos_embed_temporal.transpose(1, 2), [t], mode: InterpolationMode.Linear, align_corners: false).transpose(1, 2);
        var pos = spatial.repeat(1, t, 1) + temporal.repeat_interleave(h * w, dim: 1);
        return cat([pos_embed_class, pos], 1);
    }

    // pytorchvideo round_width: width × multiplier to the nearest multiple of divisor, at least divisor, not below 90 %.
    private static long RoundWidth(long width, double multiplier, long divisor)
    {
        double wd = width * multiplier;
        long o = Math.Max(divisor, (long)(wd + divisor / 2.0) / divisor * divisor);
        if (o < 0.9 * wd)
            o += divisor;
        return o;
    }
}

/// <summary>
/// A multiscale block (pytorchvideo v1 <c>MultiScaleBlock</c>, pool_first off, no residual pooling):
/// x = maxpool(x) + drop(attn(norm1(x))); then x = proj(norm2(x)) (when the width changes, else x) + drop(mlp(norm2(x))).
/// </summary>
internal sealed class MViTBlock : Module<Tensor, long[], (Tensor, long[])>
{
    private readonly Module<Tensor, Tensor> norm1;
    private readonly MViTAttention attn;
    private readonly Module<Tensor, Tensor> drop_path;
    private readonly Module<Tensor, Tensor> norm2;
    private readonly Module<Tensor, Tensor> mlp;
    private readonly Module<Tensor, Tensor>? proj;
    private readonly Module<Tensor, Tensor>? pool_skip;

    public MViTBlock(long dim, long dimOut, long heads, long[]? strideQ, long[] strideKv, double dropPath, ulong seed) : base(nameof(MViTBlock))
    {
        var ln = new TransformerOptions();
        norm1 = LayerNorm(dim, eps: 1e-6);
        attn = new MViTAttention(dim, heads, strideQ, strideKv);
        drop_path = new DropPath(dropPath, seed);
        norm2 = LayerNorm(dim, eps: 1e-6);
        mlp = new TokenMlp(ln, dim, 4 * dim, dimOut);
        if (dim != dimOut)
            proj = nn.Linear(dim, dimOut);
        if (strideQ is not null)
            pool_skip = MaxPool3d((1, 3, 3), stride: (strideQ[0], strideQ[1], strideQ[2]), padding: (0, 1, 1));
        RegisterComponents();
    }

    public override (Tensor, long[]) forward(Tensor input, long[] thw)
    {
        using var scope = NewDisposeScope();
        var (a, thwOut) = attn.call(norm1.call(input), thw);
        var res = pool_skip is null ? input : MViTAttention.Pool(input.unsqueeze(1), pool_skip, null, thw).Tensor.squeeze(1);
        var x = res + drop_path.call(a);
        var xn = norm2.call(x);
        var m = mlp.call(xn);
        if (proj is not null)
            x = proj.call(xn);
        x = x + drop_path.call(m);
        return (x.MoveToOuterDisposeScope(), thwOut);
    }
}

/// <summary>
/// Multiscale attention (pytorchvideo v1 <c>MultiScaleAttention</c>, pool mode "conv"): qkv linear, then q, k and v
/// pooled per head by a depthwise Conv3d 3×3×3 (stride: q's, or k/v's) and a LayerNorm over the head channels, the
/// class token kept aside; softmax(q·kᵀ/√d)·v; output projection. Returns the tokens and the pooled query grid.
/// </summary>
internal sealed class MViTAttention : Module<Tensor, long[], (Tensor, long[])>
{
    private readonly Module<Tensor, Tensor> qkv;
    private readonly Module<Tensor, Tensor> proj;
    private readonly Module<Tensor, Tensor>? pool_q;
    private readonly Module<Tensor, Tensor>? norm_q;
    private readonly Module<Tensor, Tensor> pool_k;
    private readonly Module<Tensor, Tensor> norm_k;
    private readonly Module<Tensor, Tensor> pool_v;
    private readonly Module<Tensor, Tensor> norm_v;
    private readonly long heads;
    private readonly double scale;

    public MViTAttention(long dim, long heads, long[]? strideQ, long[] strideKv) : base(nameof(MViTAttention))
    {
        if (dim % heads != 0)
            throw new ArgumentException($"Width {dim} is not a multiple of the {heads} heads.", nameof(dim));
        this.heads = heads;
        long d = dim / heads;
        scale = 1.0 / Math.Sqrt(d);
        qkv = nn.Linear(dim, 3 * dim);
        proj = nn.Linear(dim, dim);
        if (strideQ is not null)
        {
            pool_q = PoolConv(d, strideQ);
            norm_q = LayerNorm(d, eps: 1e-6);
        }
        pool_k = PoolConv(d, strideKv);
        norm_k = LayerNorm(d, eps: 1e-6);
        pool_v = PoolConv(d, strideKv);
        norm_v = LayerNorm(d, eps: 1e-6);
        RegisterComponents();
    }

    public override (Tensor, long[]) forward(Tensor input, long[] thw)
    {
        using var scope = NewDisposeScope();
        long b = input.shape[0], l = input.shape[1], c = input.shape[2];
        var t = qkv.call(input).reshape(b, l, 3, heads, c / heads).permute(2, 0, 3, 1, 4); // 3, B, h, L, d
        var (q, thwQ) = pool_q is null ? (t[0], thw) : Pool(t[0], pool_q, norm_q, thw);
        var (k, _) = Pool(t[1], pool_k, norm_k, thw);
        var (v, _) = Pool(t[2], pool_v, norm_v, thw);
        var y = TokenLayers.Attend(q, k, v, scale);                                       // B, h, Lq, d
        var o = proj.call(y.transpose(1, 2).reshape(b, q.shape[2], c));
        return (o.MoveToOuterDisposeScope(), thwQ);
    }

    /// <summary>
    /// pytorchvideo <c>attention_pool</c>: tokens (B, h, 1 + T·H·W, d) with the class token first → the grid tokens
    /// pooled as (B·h, d, T, H, W), class token put back, then <paramref name="norm"/>; returns them and the pooled grid.
    /// </summary>
    public static (Tensor Tensor, long[] Thw) Pool(Tensor tokens, Module<Tensor, Tensor> pool, Module<Tensor, Tensor>? norm, long[] thw)
    {
        using var scope = NewDisposeScope();
        long b = tokens.shape[0], h = tokens.shape[1], l = tokens.shape[2], d = tokens.shape[3];
        var cls = tokens.narrow(2, 0, 1);
        var grid = tokens.narrow(2, 1, l - 1).reshape(b * h, thw[0], thw[1], thw[2], d).permute(0, 4, 1, 2, 3).contiguous();
        var pooled = pool.call(grid);
        long[] thwOut = [pooled.shape[2], pooled.shape[3], pooled.shape[4]];
        var flat = pooled.reshape(b, h, d, thwOut[0] * thwOut[1] * thwOut[2]).transpose(2, 3);
        var x = cat([cls, flat], 2);
        if (norm is not null)
            x = norm.call(x);
        return (x.MoveToOuterDisposeScope(), thwOut);
    }

    private static Module<Tensor, Tensor> PoolConv(long d, long[] stride) =>
        Conv3d(d, d, (3, 3, 3), stride: (stride[0], stride[1], stride[2]), padding: (1, 1, 1), groups: d, bias: false);
}
