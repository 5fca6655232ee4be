using Toolkit.Core;
using TorchSharp;
using static TorchSharp.torch;

namespace Toolkit.Augment.Tensors.Batch;

/// <summary>The mixed batch and its soft targets; disposing it disposes both tensors.</summary>
public sealed class MixResult : IDisposable
{
    internal MixResult(Tensor videos, Tensor targets, MixParams parameters)
    {
        Videos = videos;
        Targets = targets;
        Params = parameters;
    }

    /// <summary>The mixed clips, same shape, dtype and device as the input.</summary>
    public Tensor Videos { get; }

    /// <summary>Soft targets N × K (float32, on the input's device); every row sums to 1.</summary>
    public Tensor Targets { get; }

    /// <summary>What was sampled.</summary>
    public MixParams Params { get; }

    /// <inheritdoc />
    public void Dispose()
    {
        Videos.Dispose();
        Targets.Dispose();
    }
}

/// <summary>
/// Mixup and CutMix on video batches N × C × T × H × W (any device), following timm's <c>Mixup</c>: λ ~ Beta(α, α);
/// a random switch between the two (<see cref="MixOptions.Prob"/>, <see cref="MixOptions.SwitchProb"/>); batch, pair
/// and element modes; CutMix boxes of side ∝ √(1 − λ) (or drawn between min/max ratios), one per batch (or pair,
/// element) and applied to every frame, λ recomputed from the clipped box; label smoothing; soft targets
/// λ·y + (1 − λ)·y[partner] with partner = N − 1 − i (the batch reversed, as timm: loaders already shuffle).
/// </summary>
/// <remarks>
/// Every draw comes from the caller's <see cref="Generator"/> (a CPU generator: the parameters are small and so are
/// identical whatever device the batch is on); equal seeds give equal output. The inputs are never changed; the
/// result's tensors are new and belong to the caller (moved out of this call's dispose scope).
/// </remarks>
public sealed class BatchMixer
{
    /// <summary>Creates the mixer; throws <see cref="ToolkitError"/> naming a bad option.</summary>
    public BatchMixer(MixOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.NumClasses < 1)
            throw new ToolkitError("Mix.NumClasses", $"must be at least 1, got {options.NumClasses}");
        Range("MixupAlpha", options.MixupAlpha, 0, 1000);
        Range("CutmixAlpha", options.CutmixAlpha, 0, 1000);
        Range("Prob", options.Prob, 0, 1);
        Range("SwitchProb", options.SwitchProb, 0, 1);
        Range("LabelSmoothing", options.LabelSmoothing, 0, 1);
        if (options.MixupAlpha == 0 && options.CutmixAlpha == 0 && options.CutmixMinMax is null)
            throw new ToolkitError("Mix.MixupAlpha", "mixup and CutMix are both disabled (both alphas are 0)");
        if (options.CutmixMinMax is { } mm)
        {
            if (mm.Count != 2)
                throw new ToolkitError("Mix.CutmixMinMax", $"needs two values (min, max), got {mm.Count}");
            Range("CutmixMinMax", mm[0], 0, 1);
            Range("CutmixMinMax", mm[1], 0, 1);
            if (mm[0] >= mm[1])
                throw new ToolkitError("Mix.CutmixMinMax", $"min must be below max, got {mm[0]}, {mm[1]}");
        }
        Options = options;
    }

    /// <summary>The validated options.</summary>
    public MixOptions Options { get; }

    private bool MixupEnabled => Options.MixupAlpha > 0;

    private bool CutmixEnabled => Options.CutmixAlpha > 0 || Options.CutmixMinMax is not null;

    /// <summary>
    /// Mixes <paramref name="videos"/> (N × C × T × H × W, or N × C × H × W, floating point) and turns
    /// <paramref name="labels"/> (N class indices, int64, or N × K soft labels) into soft targets.
    /// </summary>
    public MixResult Mix(Tensor videos, Tensor labels, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(videos);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(generator);
        if (videos.dim() is not (4 or 5))
            throw new ToolkitError("Mix", $"expects N x C x T x H x W (or N x C x H x W) clips, got shape [{string.Join(", ", videos.shape)}]");
        if (!videos.is_floating_point())
            throw new ToolkitError("Mix", $"expects floating-point clips, got {videos.dtype}", "convert with .to(float32) (after Normalize)");
        int n = (int)videos.shape[0];
        int h = (int)videos.shape[^2], w = (int)videos.shape[^1];
        if (Options.Mode == MixMode.Pair && n % 2 != 0)
            throw new ToolkitError("Mix", $"pair mode needs an even batch size, got {n}");
        if (labels.shape[0] != n)
            throw new ToolkitError("Mix", $"{labels.shape[0]} labels for {n} clips");

        var p = SampleParams(n, h, w, generator);
        using var scope = NewDisposeScope();
        var mixed = Apply(videos, p);
        var targets = Targets(labels, p, videos.device);
        return new MixResult(mixed.MoveToOuterDisposeScope(), targets.MoveToOuterDisposeScope(), p);
    }

    /// <summary>Draws the parameters for a batch of <paramref name="n"/> clips of <paramref name="h"/> × <paramref name="w"/> pixels (no pixels touched).</summary>
    public MixParams SampleParams(int n, int h, int w, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        int draws = Options.Mode switch { MixMode.Batch => 1, MixMode.Pair => n / 2, _ => n };
        using var scope = NewDisposeScope();
        // The same draws, in the same order, whatever the outcome: the stream of the generator never depends on data.
        var mixRoll = Doubles(rand(draws, float64, generator: generator));
        var switchRoll = Doubles(rand(draws, float64, generator: generator));
        var mixupLam = MixupEnabled ? Beta(Options.MixupAlpha, draws, generator) : Ones(draws);
        var cutmixLam = Options.CutmixAlpha > 0 ? Beta(Options.CutmixAlpha, draws, generator) : Ones(draws);
        var centerY = Doubles(rand(draws, float64, generator: generator));
        var centerX = Doubles(rand(draws, float64, generator: generator));
        var sideY = Doubles(rand(draws, float64, generator: generator));
        var sideX = Doubles(rand(draws, float64, generator: generator));

        var lam = new double[draws];
        var sampled = new double[draws];
        var cut = new bool[draws];
        var boxes = new CutBox?[draws];
        for (int i = 0; i < draws; i++)
        {
            lam[i] = sampled[i] = 1;
            if (mixRoll[i] >= Options.Prob)
                continue;
            cut[i] = CutmixEnabled && (!MixupEnabled || switchRoll[i] < Options.SwitchProb);
            sampled[i] = cut[i] ? cutmixLam[i] : mixupLam[i];
            lam[i] = sampled[i];
            if (!cut[i])
                continue;
            var box = Options.CutmixMinMax is { } mm
                ? MinMaxBox(h, w, mm[0], mm[1], sideY[i], sideX[i], centerY[i], centerX[i])
                : Box(h, w, sampled[i], centerY[i], centerX[i]);
            boxes[i] = box;
            if (Options.CorrectLambda || Options.CutmixMinMax is not null)
                lam[i] = 1 - (double)box.Area / ((long)h * w);
        }
        return Expand(n, draws, lam, sampled, cut, boxes);
    }

    /// <summary>
    /// timm's <c>rand_bbox</c>: sides int(H·√(1 − λ)), int(W·√(1 − λ)), centre uniform over the integer positions,
    /// half a side (floored) each way, clipped to the frame.
    /// </summary>
    internal static CutBox Box(int h, int w, double lam, double uy, double ux)
    {
        double ratio = Math.Sqrt(1 - lam);
        int cutH = (int)(h * ratio), cutW = (int)(w * ratio);
        int cy = Math.Min((int)(uy * h), h - 1), cx = Math.Min((int)(ux * w), w - 1);
        return new CutBox(Math.Clamp(cy - cutH / 2, 0, h), Math.Clamp(cy + cutH / 2, 0, h),
                          Math.Clamp(cx - cutW / 2, 0, w), Math.Clamp(cx + cutW / 2, 0, w));
    }

    /// <summary>timm's <c>rand_bbox_minmax</c>: sides uniform in [int(min·side), int(max·side)), position uniform so the box fits.</summary>
    internal static CutBox MinMaxBox(int h, int w, double min, double max, double uh, double uw, double uy, double ux)
    {
        int cutH = Pick((int)(h * min), (int)(h * max), uh), cutW = Pick((int)(w * min), (int)(w * max), uw);
        int y0 = Pick(0, h - cutH, uy), x0 = Pick(0, w - cutW, ux);
        return new CutBox(y0, y0 + cutH, x0, x0 + cutW);

        static int Pick(int low, int high, double u) => high <= low ? low : low + Math.Min((int)(u * (high - low)), high - low - 1);
    }

    private MixParams Expand(int n, int draws, double[] lam, double[] sampled, bool[] cut, CutBox?[] boxes)
    {
        int Source(int i) => Options.Mode switch
        {
            MixMode.Batch => 0,
            MixMode.Pair => i < draws ? i : n - 1 - i,
            _ => i,
        };
        var idx = Enumerable.Range(0, n).Select(Source).ToArray();
        return new MixParams(Options.Mode,
            idx.Select(i => lam[i]).ToArray(), idx.Select(i => sampled[i]).ToArray(),
            idx.Select(i => cut[i]).ToArray(), idx.Select(i => boxes[i]).ToArray(),
            Enumerable.Range(0, n).Select(i => n - 1 - i).ToArray());
    }

    /// <summary>
    /// The mixed batch: CutMix copies the partner's box (exact: pixels outside it are the sample's own, bit for bit);
    /// mixup is <c>partner + λ·(x − partner)</c> (one <c>lerp</c>). Batch mode works on the whole batch at once.
    /// </summary>
    private static Tensor Apply(Tensor videos, MixParams p)
    {
        if (p.Mode == MixMode.Batch)
        {
            if (p.CutMix[0] && p.Boxes[0] is { } b)
            {
                var mixed = videos.clone();
                if (b.Area > 0)
                    Region(mixed, b).copy_(Region(videos, b).flip(0)); // only the box is reversed, not the batch
                return mixed;
            }
            return p.Lambda[0] == 1 ? videos.clone() : videos.flip(0).lerp(videos, p.Lambda[0]);
        }
        var partner = videos.flip(0);
        var result = videos.clone();
        for (int i = 0; i < p.Lambda.Count; i++)
        {
            if (p.CutMix[i] && p.Boxes[i] is { } b)
            {
                if (b.Area > 0)
                    Region(result[i], b).copy_(Region(partner[i], b));
            }
            else if (p.Lambda[i] != 1)
            {
                result[i].copy_(partner[i].lerp(videos[i], p.Lambda[i]));
            }
        }
        return result;
    }

    private static Tensor Region(Tensor t, CutBox b) => t.narrow(-2, b.Y0, b.Y1 - b.Y0).narrow(-1, b.X0, b.X1 - b.X0);

    private Tensor Targets(Tensor labels, MixParams p, Device device)
    {
        int k = Options.NumClasses;
        double eps = Options.LabelSmoothing;
        Tensor y;
        if (labels.dim() == 1)
        {
            if (labels.dtype != int64)
                throw new ToolkitError("Mix", $"class-index labels must be int64, got {labels.dtype}");
            if (labels.numel() > 0 && (labels.min().item<long>() < 0 || labels.max().item<long>() >= k))
                throw new ToolkitError("Mix", $"labels must lie in [0, {k - 1}] (NumClasses = {k})");
            y = SoftTargets.FromIndices(labels.to(device), k, eps);
        }
        else if (labels.dim() == 2 && labels.shape[1] == k)
        {
            y = SoftTargets.Smooth(labels.to(float32).to(device), eps);
        }
        else
        {
            throw new ToolkitError("Mix", $"labels must be N class indices or N x {k} soft labels, got shape [{string.Join(", ", labels.shape)}]");
        }
        var lam = tensor(p.Lambda.Select(v => (float)v).ToArray(), float32, device).unsqueeze(1);
        return y * lam + y.flip(0) * (1 - lam);
    }

    private static double[] Beta(double alpha, int count, Generator generator)
    {
        var a = full(count, alpha, float64);
        var g1 = _standard_gamma(a, generator);
        var g2 = _standard_gamma(a, generator);
        return Doubles(g1 / (g1 + g2));
    }

    private static double[] Ones(int count) => Enumerable.Repeat(1.0, count).ToArray();

    private static double[] Doubles(Tensor t) => t.to(float64).data<double>().ToArray();

    private static void Range(string name, double value, double min, double max)
    {
        if (!(value >= min && value <= max))
            throw new ToolkitError($"Mix.{name}", $"must be in [{min}, {max}], got {value}");
    }
}
