using System.Globalization;
using System.Text.RegularExpressions;

namespace Toolkit.Trainers.Weights;

/// <summary>Where a checkpoint comes from: which code wrote it, hence its container and key layout.</summary>
public enum WeightSource
{
    /// <summary>Decide from the file's keys (<see cref="KeyMaps.Detect"/>).</summary>
    Auto,

    /// <summary>toolkit's own layout (<c>weights import --out</c>, <c>weights export --layout ours</c>, training checkpoints).</summary>
    Toolkit,

    /// <summary>open-mmlab/mmaction2 (<c>backbone.*</c>, <c>cls_head.*</c>).</summary>
    Mmaction2,

    /// <summary>facebookresearch/pytorchvideo (<c>blocks.*</c>).</summary>
    PyTorchVideo,

    /// <summary>facebookresearch/SlowFast (<c>model_state</c> container).</summary>
    SlowFast,

    /// <summary>huggingface/pytorch-image-models, DeiT (<c>patch_embed.proj</c>, <c>head</c>).</summary>
    Timm,

    /// <summary>torchvision ImageNet ResNet-50, inflated into a 3-D ResNet as mmaction2's <c>pretrained2d</c> does.</summary>
    TorchVision,
}

/// <summary>How a 2-D kernel becomes a 3-D one (torchvision → I3D / SlowOnly).</summary>
public enum Inflation
{
    /// <summary>mmaction2's <c>_inflate_conv_params</c>: the 2-D kernel repeated over the t taps and divided by t (a static clip gives the 2-D activations away from the clip's ends).</summary>
    Mean,

    /// <summary>The 2-D kernel on the centre tap, zeros elsewhere (a one-frame clip gives exactly the 2-D network's output).</summary>
    Centre,
}

/// <summary>What one of our tensors is made of in the source.</summary>
internal enum TensorOp
{
    /// <summary>The source tensor as it is.</summary>
    Copy,

    /// <summary>The source tensors concatenated along dimension 0 (separate q, k, v → one qkv).</summary>
    Join,

    /// <summary>The source tensor reshaped to our shape (same elements; a 1×1×1 convolution stored for a linear layer).</summary>
    Reshape,

    /// <summary>A 2-D kernel inflated to 3-D (<see cref="Inflation"/>); other tensors copied.</summary>
    Inflate,

    /// <summary>The source has no such norm (an identity there): weight 1, bias 0, mean 0, variance 1 − ε.</summary>
    IdentityNorm,
}

/// <summary>A regular expression on our key and what it becomes in the source's layout (applied in order, each once).</summary>
/// <param name="Pattern">Regex over our key (after the renames before it).</param>
/// <param name="Replacement">Template: <c>{g}</c> a group, <c>{g+1}</c> a group plus a number, <c>{stage:g}</c> / <c>{block:g}</c> the 1-based stage and the block within it of a flat block index.</param>
internal sealed record Rename(string Pattern, string Replacement)
{
    public Regex Regex { get; } = new(Pattern, RegexOptions.CultureInvariant);
}

/// <summary>A tensor made otherwise than by copying one source tensor.</summary>
/// <param name="Pattern">Regex over the renamed key.</param>
/// <param name="Op">How the tensor is made.</param>
/// <param name="Sources">Templates of the source keys (groups of <paramref name="Pattern"/>); empty = the renamed key itself.</param>
internal sealed record TensorRule(string Pattern, TensorOp Op, params string[] Sources)
{
    public Regex Regex { get; } = new(Pattern, RegexOptions.CultureInvariant);
}

/// <summary>A key pattern of the source that marks a variant we refuse, and why.</summary>
internal sealed record Refuse(string Pattern, string Reason);

/// <summary>
/// One source's key layout for a family of architectures, as data: renames from our keys to theirs, the tensors that
/// are not plain copies, their keys that carry nothing we need, and, for a source that cannot be loaded faithfully,
/// the reason it is refused.
/// </summary>
internal sealed record KeyMap(WeightSource Source, string Name, string[] Architectures)
{
    public IReadOnlyList<Rename> Renames { get; init; } = [];

    public IReadOnlyList<TensorRule> Tensors { get; init; } = [];

    /// <summary>Rules tried on import only, when the plain source key is absent (an older layout of the same source).</summary>
    public IReadOnlyList<TensorRule> Fallbacks { get; init; } = [];

    /// <summary>What a user should know about loading this source (an input size it is exact for, …).</summary>
    public string? Note { get; init; }

    /// <summary>Regexes over their keys that are read past (e.g. buffers that hold no weights).</summary>
    public IReadOnlyList<string> Ignore { get; init; } = [];

    /// <summary>Their keys that reveal a variant this map cannot load faithfully, with the reason it is refused.</summary>
    public IReadOnlyList<Refuse> RefuseWhen { get; init; } = [];

    /// <summary>Why the source cannot be loaded into a model built this way (null when it can): a variant it needs.</summary>
    public Func<Toolkit.Trainers.Models.ModelSpec, string?>? Requires { get; init; }

    /// <summary>Why this source cannot be loaded into these architectures; null when it can.</summary>
    public string? Refusal { get; init; }

    /// <summary>Whether <see cref="WeightExport"/> can write this layout (every op invertible).</summary>
    public bool Exportable => Refusal is null && Tensors.All(t => t.Op is TensorOp.Copy or TensorOp.Join);

    /// <summary>What <c>{stage:n}</c> / <c>{block:n}</c> need of a model: the blocks of each stage where they are stored flat (X3D), else none.</summary>
    public static IReadOnlyList<int> StageBlocksOf(Toolkit.Trainers.Models.VideoModel model) =>
        model is Toolkit.Trainers.Models.Video.X3D x ? x.StageBlocks : [];

    /// <summary>Our key in the source's layout (before <see cref="Tensors"/> rules).</summary>
    public string Rename(string ours, IReadOnlyList<int> stageBlocks)
    {
        var key = ours;
        foreach (var r in Renames)
            key = r.Regex.Replace(key, m => Expand(r.Replacement, m, stageBlocks), 1);
        return key;
    }

    /// <summary>The rule for a renamed key and the source keys it reads.</summary>
    public (TensorOp Op, string[] Sources) Resolve(string renamed) => Resolve(renamed, Tensors);

    /// <summary>The fallback rule for a renamed key whose plain source is absent, or null.</summary>
    public (TensorOp Op, string[] Sources)? Fallback(string renamed)
    {
        var r = Resolve(renamed, Fallbacks);
        return r.Sources.Length == 1 && r.Sources[0] == renamed && r.Op == TensorOp.Copy ? null : r;
    }

    private static (TensorOp Op, string[] Sources) Resolve(string renamed, IReadOnlyList<TensorRule> rules)
    {
        foreach (var t in rules)
        {
            var m = t.Regex.Match(renamed);
            if (!m.Success)
                continue;
            var sources = t.Sources.Length == 0 ? [renamed] : t.Sources.Select(s => Expand(s, m, [])).ToArray();
            return (t.Op, sources);
        }
        return (TensorOp.Copy, [renamed]);
    }

    public bool Ignored(string theirs) => Ignore.Any(p => Regex.IsMatch(theirs, p, RegexOptions.CultureInvariant));

    private static readonly Regex Token = new(@"\{(?:(?<fn>stage|block):)?(?<g>\w+)(?<off>[+-]\d+)?\}", RegexOptions.CultureInvariant);

    private static string Expand(string template, Match m, IReadOnlyList<int> stageBlocks) =>
        Token.Replace(template, t =>
        {
            var value = m.Groups[t.Groups["g"].Value].Value;
            if (!t.Groups["fn"].Success && !t.Groups["off"].Success)
                return value;
            int n = int.Parse(value, CultureInfo.InvariantCulture);
            if (t.Groups["off"].Success)
                n += int.Parse(t.Groups["off"].Value, CultureInfo.InvariantCulture);
            if (t.Groups["fn"].Success)
            {
                int stage = 0;
                while (stage < stageBlocks.Count && n >= stageBlocks[stage])
                    n -= stageBlocks[stage++];
                n = t.Groups["fn"].Value == "stage" ? stage + 1 : n;
            }
            return n.ToString(CultureInfo.InvariantCulture);
        });
}
