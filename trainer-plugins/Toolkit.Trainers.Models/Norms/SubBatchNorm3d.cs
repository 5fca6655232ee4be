using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Toolkit.Trainers.Models.Norms;

/// <summary>
/// Sub-batch normalization (SlowFast <c>SubBatchNorm3d</c>, for multigrid training where the per-GPU batch grows):
/// in training the batch of N samples is split into k sub-batches, split s holding the samples n with n % k == s
/// (the input is viewed as N/k × k·C × T × H × W), and each split is normalized with its own batch statistics and
/// tracks its own running statistics; one shared affine (weight, bias, C each) is applied after normalization.
/// In eval, the aggregated statistics are used: mean = average of the split means, var = average of the split
/// variances + average squared deviation of the split means from that mean. They are computed by
/// <see cref="AggregateStats"/>, which runs automatically when the module switches from training to eval
/// (<c>eval()</c> / <c>train(false)</c>) and when <see cref="Splits"/> changes.
/// <para>
/// <see cref="Splits"/> may change between iterations (multigrid short cycle): the current split statistics are
/// aggregated, then every new split starts from the aggregate. A training batch whose N is not a multiple of k is
/// normalized as one batch (k = 1 for that batch) and its statistics update every split's running statistics.
/// </para>
/// <para>
/// State dictionary: <c>weight</c>, <c>bias</c>, <c>running_mean</c>, <c>running_var</c> (aggregated, C each) and
/// <c>split_running_mean</c>, <c>split_running_var</c> (k·C each, split-major): load a checkpoint into a module with
/// the same <see cref="Splits"/> it was saved with.
/// </para>
/// </summary>
public sealed class SubBatchNorm3d : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly Parameter bias;
    private readonly Tensor running_mean;
    private readonly Tensor running_var;
    private readonly Tensor split_running_mean;
    private readonly Tensor split_running_var;
    private int _splits;
    private double _momentum;

    /// <summary>Creates the module (weight 1, bias 0, running mean 0, running var 1).</summary>
    /// <param name="channels">Channels C, at least 1.</param>
    /// <param name="splits">Sub-batches k, at least 1 (1 = plain BatchNorm3d).</param>
    /// <param name="eps">Added to the variance, &gt; 0.</param>
    /// <param name="momentum">Running-statistics momentum in (0, 1] (PyTorch convention: new = (1 − m)·old + m·batch).</param>
    public SubBatchNorm3d(long channels, int splits, double eps = 1e-5, double momentum = 0.1) : base(nameof(SubBatchNorm3d))
    {
        if (channels < 1)
            throw new ArgumentOutOfRangeException(nameof(channels), channels, "channels must be at least 1.");
        if (splits < 1)
            throw new ArgumentOutOfRangeException(nameof(splits), splits, "splits must be at least 1.");
        if (!(eps > 0))
            throw new ArgumentOutOfRangeException(nameof(eps), eps, "eps must be > 0.");
        if (!(momentum > 0 && momentum <= 1))
            throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "momentum must be in (0, 1].");
        Channels = channels;
        Eps = eps;
        Momentum = momentum;
        _splits = splits;
        weight = nn.Parameter(ones(channels));
        bias = nn.Parameter(zeros(channels));
        running_mean = zeros(channels);
        running_var = ones(channels);
        split_running_mean = zeros(channels * splits);
        split_running_var = ones(channels * splits);
        RegisterComponents();
    }

    /// <summary>A <see cref="Norm3dFactory"/> building <see cref="SubBatchNorm3d"/> layers with <paramref name="splits"/> splits.</summary>
    /// <param name="splits">Sub-batches k, at least 1.</param>
    /// <param name="eps">Added to the variance.</param>
    /// <param name="momentum">Running-statistics momentum in (0, 1].</param>
    public static Norm3dFactory Factory(int splits, double eps = 1e-5, double momentum = 0.1)
    {
        if (splits < 1)
            throw new ArgumentOutOfRangeException(nameof(splits), splits, "splits must be at least 1.");
        return channels => new SubBatchNorm3d(channels, splits, eps, momentum);
    }

    /// <summary>Channels C.</summary>
    public long Channels { get; }

    /// <summary>Added to the variance.</summary>
    public double Eps { get; }

    /// <summary>Running-statistics momentum in (0, 1] (precise BN sets it to 1 temporarily).</summary>
    public double Momentum
    {
        get => _momentum;
        set
        {
            if (!(value > 0 && value <= 1))
                throw new ArgumentOutOfRangeException(nameof(Momentum), value, "Momentum must be in (0, 1].");
            _momentum = value;
        }
    }

    /// <summary>
    /// Sub-batches k (at least 1). Settable between iterations: the current split statistics are aggregated into
    /// <see cref="RunningMean"/> / <see cref="RunningVar"/> and each of the new k splits starts from them.
    /// </summary>
    public int Splits
    {
        get => _splits;
        set
        {
            if (value < 1)
                throw new ArgumentOutOfRangeException(nameof(Splits), value, "Splits must be at least 1.");
            if (value == _splits)
                return;
            AggregateStats();
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            // set_ keeps the registered buffer objects (so state_dict, to(device) and optimizers still see them).
            split_running_mean.set_(running_mean.repeat(value).contiguous());
            split_running_var.set_(running_var.repeat(value).contiguous());
            _splits = value;
        }
    }

    /// <summary>Shared scale γ (C).</summary>
    public Parameter Weight => weight;

    /// <summary>Shared shift β (C).</summary>
    public Parameter Bias => bias;

    /// <summary>Aggregated running mean (C), used in eval.</summary>
    public Tensor RunningMean => running_mean;

    /// <summary>Aggregated running variance (C), used in eval.</summary>
    public Tensor RunningVar => running_var;

    /// <summary>Running means of the splits (k·C, split-major: split s at s·C … s·C + C − 1).</summary>
    public Tensor SplitRunningMean => split_running_mean;

    /// <summary>Running variances of the splits (k·C, split-major).</summary>
    public Tensor SplitRunningVar => split_running_var;

    /// <summary>
    /// Writes the aggregate of the split statistics into <see cref="RunningMean"/> and <see cref="RunningVar"/>:
    /// mean = mean over splits of the split means; var = mean of the split variances + mean of (split mean − mean)².
    /// </summary>
    public void AggregateStats()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var means = split_running_mean.view(_splits, Channels);
        var vars = split_running_var.view(_splits, Channels);
        var mean = means.mean([0]);
        var variance = vars.mean([0]) + (means - mean).square().mean([0]);
        running_mean.copy_(mean);
        running_var.copy_(variance);
    }

    /// <summary>Switches mode; leaving training aggregates the split statistics first (<see cref="AggregateStats"/>).</summary>
    /// <param name="train">True for training mode.</param>
    public override void train(bool train = true)
    {
        if (training && !train)
            AggregateStats();
        base.train(train);
    }

    /// <summary>Normalizes N × C × T × H × W input (per split in training, with the aggregated statistics in eval), then applies the shared affine.</summary>
    /// <param name="input">N × C × T × H × W.</param>
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.dim() != 5 || input.shape[1] != Channels)
            throw new ArgumentException($"input must be N x {Channels} x T x H x W; got shape [{string.Join(", ", input.shape)}].", nameof(input));
        using var scope = NewDisposeScope();
        Tensor normalized;
        if (!training)
        {
            normalized = F.batch_norm(input, running_mean, running_var, null, null, false, _momentum, Eps);
        }
        else
        {
            long n = input.shape[0], c = Channels, t = input.shape[2], h = input.shape[3], w = input.shape[4];
            if (n % _splits == 0)
            {
                // Sample i·k + s lands in row i, channel block s: split s holds the samples n with n % k == s.
                var grouped = input.contiguous().view(n / _splits, c * _splits, t, h, w);
                normalized = F.batch_norm(grouped, split_running_mean, split_running_var, null, null, true, _momentum, Eps).view(n, c, t, h, w);
            }
            else
            {
                // Fallback k = 1 for this batch; every split's running statistics see the whole batch.
                normalized = F.batch_norm(input, null, null, null, null, true, _momentum, Eps);
                using var noGrad = no_grad();
                var batchMean = input.mean([0, 2, 3, 4]);
                var batchVar = input.var([0, 2, 3, 4], unbiased: n * t * h * w > 1);
                split_running_mean.mul_(1 - _momentum).add_(batchMean.repeat(_splits), alpha: _momentum);
                split_running_var.mul_(1 - _momentum).add_(batchVar.repeat(_splits), alpha: _momentum);
            }
        }

        var output = normalized * weight.view(-1, 1, 1, 1) + bias.view(-1, 1, 1, 1);
        return output.MoveToOuterDisposeScope();
    }
}
