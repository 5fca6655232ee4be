using System.Globalization;
using System.Runtime.CompilerServices;
using Toolkit.Trainers.Abstractions;
using static TorchSharp.torch;

namespace Toolkit.Benchmarks.Trainers;

/// <summary>
/// Fixed synthetic batches held in memory (no data loading in the timings): <c>distinct</c> random batches of one shape,
/// cycled; each epoch yields <c>iterations</c> of them. The tensors belong to this object (disposed with it), as the
/// contract says batches belong to the host.
/// </summary>
internal sealed class InMemoryData : ITrainingData, IDisposable
{
    private readonly List<(Tensor Inputs, Tensor Labels)> _train = [];
    private readonly List<(Tensor Inputs, Tensor Labels)> _val = [];
    private readonly int _iterations;

    public InMemoryData(long[] shape, int classes, int iterations, int distinct, int valBatches, long seed)
    {
        _iterations = iterations;
        Classes = classes;
        BatchSize = (int)shape[0];
        using var g = new Generator((ulong)seed);
        for (int i = 0; i < distinct + valBatches; i++)
        {
            var x = randn(shape, generator: g);
            var y = randint(classes, [shape[0]], generator: g, dtype: ScalarType.Int64);
            (i < distinct ? _train : _val).Add((x, y));
        }
    }

    public int Classes { get; }

    public IReadOnlyList<string> ClassNames => [];

    public int BatchSize { get; }

    public int TrainSamples => _iterations * BatchSize;

    public int ValidationSamples => _val.Count * BatchSize;

    public int IterationsIn(int epoch) => _iterations;

    public async IAsyncEnumerable<TrainingBatch> TrainAsync(int epoch, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.CompletedTask.ConfigureAwait(false);
        for (int i = 0; i < _iterations; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (x, y) = _train[i % _train.Count];
            yield return new TrainingBatch(epoch, i, x, y, null, 1, 1);
        }
    }

    public async IAsyncEnumerable<TrainingBatch> ValidateAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.CompletedTask.ConfigureAwait(false);
        for (int i = 0; i < _val.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return new TrainingBatch(0, i, _val[i].Inputs, _val[i].Labels, null, 1, 1);
        }
    }

    public void Dispose()
    {
        foreach (var (x, y) in _train.Concat(_val))
        {
            x.Dispose();
            y.Dispose();
        }
    }
}

/// <summary>Collects the plugin's per-step seconds and, when asked, the resident set after chosen global steps.</summary>
internal sealed class BenchReporter(ISet<long>? rssAt = null) : ITrainingReporter
{
    public double StepSeconds { get; private set; }

    public long Steps { get; private set; }

    public List<(long Step, long RssBytes)> Rss { get; } = [];

    public void Iteration(IterationMetrics metrics)
    {
        StepSeconds += metrics.Seconds;
        Steps++;
        if (rssAt is not null && rssAt.Contains(Steps))
            Rss.Add((Steps, Memory.Rss()));
    }

    public void Epoch(EpochMetrics metrics)
    {
    }

    public void Checkpoint(CheckpointInfo checkpoint)
    {
    }

    public void Message(string text)
    {
    }
}

/// <summary>Resident set (VmRSS) and its peak (VmHWM) of this process, from /proc/self/status.</summary>
internal static class Memory
{
    public static long Rss() => Toolkit.Core.ProcessMemory.Resident();

    public static long Peak() => Toolkit.Core.ProcessMemory.Peak();

    public static double InMib(long bytes) => Math.Round(bytes / (1024.0 * 1024.0), 1);

    public static string Mib(long bytes) => (bytes / (1024.0 * 1024.0)).ToString("F1", CultureInfo.InvariantCulture);
}

/// <summary>Mean and sample standard deviation.</summary>
internal static class Stats
{
    public static (double Mean, double Sd) Of(IReadOnlyList<double> xs)
    {
        double mean = xs.Average();
        double sd = xs.Count > 1 ? Math.Sqrt(xs.Sum(x => (x - mean) * (x - mean)) / (xs.Count - 1)) : 0;
        return (mean, sd);
    }

    public static string Format(IReadOnlyList<double> xs, string f = "F2")
    {
        var (m, s) = Of(xs);
        return $"{m.ToString(f, CultureInfo.InvariantCulture)} ± {s.ToString(f, CultureInfo.InvariantCulture)}";
    }
}
