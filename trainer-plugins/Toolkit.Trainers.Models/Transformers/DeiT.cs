using Toolkit.Trainers.Models.Stochastic;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Toolkit.Trainers.Models.Transformers;

/// <summary>The size of a DeiT (timm <c>deit_{tiny,small,base}_patch16_224</c>): embedding width, heads and blocks at width and depth 1.</summary>
/// <param name="Dim">Embedding width (192 / 384 / 768).</param>
/// <param name="Heads">Attention heads (3 / 6 / 12).</param>
/// <param name="Depth">Blocks (12).</param>
/// <param name="Patch">Patch size (16).</param>
/// <param name="MlpRatio">Hidden width of the MLP over the embedding width (4).</param>
public sealed record DeiTSize(int Dim, int Heads, int Depth = 12, int Patch = 16, double MlpRatio = 4)
{
    /// <summary>DeiT-Ti: 192 wide, 3 heads (5.7M parameters with the 1000-class head).</summary>
    public static DeiTSize Tiny { get; } = new(192, 3);

    /// <summary>DeiT-S: 384 wide, 6 heads (22.1M).</summary>
    public static DeiTSize Small { get; } = new(384, 6);

    /// <summary>DeiT-B: 768 wide, 12 heads (86.6M).</summary>
    public static DeiTSize Base { get; } = new(768, 12);
}

/// <summary>
/// DeiT without the distillation token (Touvron et al. 2021, timm's <c>VisionTransformer</c> as configured by
/// <c>deit_*_patch16_224</c>): a patch-16 convolution embeds the image, a class token and learned position embeddings
/// are added, then 12 Pre-LN blocks (multi-head self-attention with qkv bias; MLP ratio 4, GELU), a final norm, and a
/// linear classifier on the class token. Input N × 3 × H × W, output N × classes.
/// </summary>
/// <remarks>
/// <see cref="ModelOptions.Width"/> scales the embedding width (rounded to a multiple of lcm(heads, 8)), and
/// <see cref="ModelOptions.Depth"/> the blocks (at least 1); heads stay. <see cref="ModelOptions.Transformer"/> picks
/// the variant (BatchNorm, ReLU6, weight normalization, Post-LN; Post-LN keeps the final norm, so every variant has
/// the same layers). Position embeddings are sized for <see cref="TransformerOptions.ImageSize"/> (224) and resized
/// bicubically for other inputs. Weights are initialized as timm does from
/// <see cref="ModelOptions.Seed"/> alone.
/// </remarks>
public sealed class DeiT : VideoModel
{
    private readonly DeiTBackbone backbone;
    private readonly Sequential head;

    /// <summary>Builds a DeiT of <paramref name="size"/> with <paramref name="options"/>.</summary>
    public DeiT(DeiTSize size, ModelOptions options) : base(nameof(DeiT))
    {
        ArgumentNullException.ThrowIfNull(size);
        ArgumentNullException.ThrowIfNull(options);
        options = options.Validated();
        var t = (options.Transformer ?? new TransformerOptions()).Validated();
        long dim = TokenLayers.RoundTo(size.Dim * options.Width, TokenLayers.Lcm(size.Heads, 8));
        int depth = TokenLayers.ScaleDepth(size.Depth, options.Depth);
        Dim = dim;
        Blocks = depth;
        backbone = new DeiTBackbone(t, dim, size.Heads, depth, size.Patch, (long)(dim * size.MlpRatio), t.ImageSize ?? 224, t.DropPath ?? 0.0, (ulong)options.Seed);
        head = Sequential(("dropout", new SeededDropout(options.Dropout)), ("fc", nn.Linear(dim, options.Classes)));
        RegisterComponents();
        if (options.Initialize)
        {
            using var generator = new Generator((ulong)options.Seed);
            ParamInit.InitLayers(this, generator);
            backbone.InitTokens(generator);
        }
    }

    /// <summary>Embedding width after the width multiplier.</summary>
    public long Dim { get; }

    /// <summary>Blocks after the depth multiplier.</summary>
    public int Blocks { get; }

    /// <inheritdoc />
    public override Module<Tensor, Tensor> Backbone => backbone;

    /// <inheritdoc />
    public override Module<Tensor, Tensor> Head => head;
}

/// <summary>Everything of a DeiT but the classifier: image → N × dim class-token feature (after the final norm).</summary>
internal sealed class DeiTBackbone : Module<Tensor, Tensor>
{
    private readonly Module<Tensor, Tensor> patch_embed;
    private readonly Parameter cls_token;
    private readonly Parameter pos_embed;
    private readonly ModuleList<Module<Tensor, Tensor>> blocks;
    private readonly Module<Tensor, Tensor> norm;
    private readonly long grid;

    public DeiTBackbone(TransformerOptions o, long dim, int heads, int depth, int patch, long hidden, int imageSize, double dropPath, ulong seed)
        : base(nameof(DeiTBackbone))
    {
        grid = imageSize / patch;
        if (grid < 1)
            throw new ArgumentOutOfRangeException(nameof(imageSize), imageSize, $"ImageSize must be at least the patch size {patch}.");
        patch_embed = Conv2d(3, dim, patch, stride: patch);
        cls_token = new Parameter(zeros(1, 1, dim));
        pos_embed = new Parameter(zeros(1, 1 + grid * grid, dim));
        var list = new Module<Tensor, Tensor>[depth];
        for (int i = 0; i < depth; i++)
            list[i] = new DeiTBlock(o, dim, heads, hidden, TokenLayers.DropPathRate(dropPath, i, depth), seed * 1000 + (ulong)i);
        blocks = ModuleList(list);
        norm = TokenLayers.Norm(o, dim);
        RegisterComponents();
    }

    /// <summary>timm: position embedding truncated normal (std 0.02), class token normal (std 1e-6).</summary>
    public void InitTokens(Generator generator)
    {
        ParamInit.TruncNormal(pos_embed, 0.02, generator);
        ParamInit.TruncNormal(cls_token, 1e-6, generator, -2e-6 * 1e3, 2e-6 * 1e3);
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = patch_embed.call(input);                       // N, C, gh, gw
        long gh = x.shape[2], gw = x.shape[3], n = x.shape[0];
        x = x.flatten(2).transpose(1, 2);                      // N, L, C
        x = cat([cls_token.expand(n, -1, -1), x], 1);
        x = x + PositionEmbedding(gh, gw);
        foreach (var block in blocks)
            x = block.call(x);
        x = norm.call(x);
        return x.select(1, 0).MoveToOuterDisposeScope();
    }

    // The learned embedding, bicubically resized (timm resample_abs_pos_embed) when the token grid is not the built one.
    private Tensor PositionEmbedding(long gh, long gw)
    {
        if (gh == grid && gw == grid)
            return pos_embed;
        long c = pos_embed.shape[2];
        var cls = pos_embed.narrow(1, 0, 1);
        var grid2d = pos_embed.narrow(1, 1, grid * grid).reshape(1, grid, grid, c).permute(0, 3, 1, 2);
        var resized = functional.interpolate(grid2d, [gh, gw], mode: InterpolationMode.Bicubic, align_corners: false);
        return cat([cls, resized.permute(0, 2, 3, 1).reshape(1, gh * gw, c)], 1);
    }
}

/// <summary>A DeiT block: Pre-LN x + attn(norm1(x)), x + mlp(norm2(x)); or Post-LN norm1(x + attn(x)), norm2(x + mlp(x)).</summary>
internal sealed class DeiTBlock : Module<Tensor, Tensor>
{
    private readonly Module<Tensor, Tensor> norm1;
    private readonly Module<Tensor, Tensor> attn;
    private readonly Module<Tensor, Tensor> drop_path;
    private readonly Module<Tensor, Tensor> norm2;
    private readonly Module<Tensor, Tensor> mlp;
    private readonly bool preNorm;

    public DeiTBlock(TransformerOptions o, long dim, int heads, long hidden, double dropPath, ulong seed) : base(nameof(DeiTBlock))
    {
        preNorm = o.PreNorm;
        norm1 = TokenLayers.Norm(o, dim);
        attn = new DeiTAttention(o, dim, heads);
        drop_path = new DropPath(dropPath, seed);
        norm2 = TokenLayers.Norm(o, dim);
        mlp = new TokenMlp(o, dim, hidden, dim);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        Tensor x;
        if (preNorm)
        {
            x = input + drop_path.call(attn.call(norm1.call(input)));
            x = x + drop_path.call(mlp.call(norm2.call(x)));
        }
        else
        {
            x = norm1.call(input + drop_path.call(attn.call(input)));
            x = norm2.call(x + drop_path.call(mlp.call(x)));
        }
        return x.MoveToOuterDisposeScope();
    }
}

/// <summary>Multi-head self-attention (timm <c>Attention</c>): one qkv linear with bias, scaled dot product, output projection.</summary>
internal sealed class DeiTAttention : Module<Tensor, Tensor>
{
    private readonly Module<Tensor, Tensor> qkv;
    private readonly Module<Tensor, Tensor> proj;
    private readonly long heads;
    private readonly double scale;

    public DeiTAttention(TransformerOptions o, long dim, int heads) : base(nameof(DeiTAttention))
    {
        if (dim % heads != 0)
            throw new ArgumentException($"Width {dim} is not a multiple of the {heads} heads.", nameof(dim));
        this.heads = heads;
        scale = 1.0 / Math.Sqrt(dim / heads);
        qkv = TokenLayers.Linear(o, dim, 3 * dim);
        proj = TokenLayers.Linear(o, dim, dim);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        long b = input.shape[0], l = input.shape[1], c = input.shape[2];
        var t = qkv.call(input).reshape(b, l, 3, heads, c / heads).permute(2, 0, 3, 1, 4); // 3, B, h, L, d
        var y = TokenLayers.Attend(t[0], t[1], t[2], scale);                               // B, h, L, d
        return proj.call(y.transpose(1, 2).reshape(b, l, c)).MoveToOuterDisposeScope();
    }
}
