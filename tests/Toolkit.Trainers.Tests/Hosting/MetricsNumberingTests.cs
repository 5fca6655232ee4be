using System.Text.Json;
using Toolkit.Trainers.Abstractions;
using Toolkit.Trainers.Hosting;
using Toolkit.Trainers.Tests.Support;

namespace Toolkit.Trainers.Tests.Hosting;

/// <summary>Epochs and iterations are numbered from 1 in every file, as the console counts them; older 0-based files are still read.</summary>
public sealed class MetricsNumberingTests
{
    [Fact]
    public void CsvAndJson_NumberEpochsAndIterationsFrom1_AndA0BasedMetricsJsonIsReadAndRewritten()
    {
        using var dir = new TempDirectory("toolkit-trainers-");
        string metrics = Path.Combine(dir.Path, "metrics");
        Directory.CreateDirectory(metrics);
        // As written before schema 2: epoch 0, iteration 0 (no "schema" key).
        File.WriteAllText(Path.Combine(metrics, "metrics.json"), """
            {"iterations": [{"epoch": 0, "iteration": 0, "step": 0, "loss": 1.5, "learning_rate": 0.1, "grad_norm": 1, "batch_size": 2, "seconds": 0.1, "data_seconds": 0.01}],
             "epochs": [{"epoch": 0, "train_loss": 1.5, "train_top1": 0.5, "validation_loss": null, "validation_top1": null, "validation_top5": null, "learning_rate": 0.1, "seconds": 1, "iterations_per_second": 1, "peak_memory_bytes": 1048576}],
             "checkpoints": []}
            """);
        var recorder = new MetricsRecorder(dir.Path);
        Assert.Equal(0, Assert.Single(recorder.Epochs).Epoch); // internal records stay 0-based (the contract's)
        recorder.Iteration(new IterationMetrics(1, 0, 1, 1.2, 0.1, 1, 2, 0.1, 0.01));
        recorder.Epoch(new EpochMetrics(1, 1.2, 0.5, null, null, null, 0.1, 1, 1, 1048576));
        recorder.Flush();
        Assert.Equal(["epoch,iteration,step,loss,lr,grad_norm,batch,seconds,data_seconds", "1,1,0", "2,1,1"],
            File.ReadAllLines(Path.Combine(metrics, "iterations.csv")).Select((l, i) => i == 0 ? l : string.Join(',', l.Split(',').Take(3))));
        Assert.Equal(["1", "2"], File.ReadAllLines(Path.Combine(metrics, "epochs.csv")).Skip(1).Select(l => l.Split(',')[0]));
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(metrics, "metrics.json")));
        Assert.Equal(2, json.RootElement.GetProperty("schema").GetInt32());
        Assert.Equal([1, 2], json.RootElement.GetProperty("epochs").EnumerateArray().Select(e => e.GetProperty("epoch").GetInt32()));
        Assert.Equal([1, 1], json.RootElement.GetProperty("iterations").EnumerateArray().Select(e => e.GetProperty("iteration").GetInt32()));
        // Read back (schema 2): still the same run, nothing shifted twice.
        var again = new MetricsRecorder(dir.Path);
        Assert.Equal([0, 1], again.Epochs.Select(e => e.Epoch));
    }
}
