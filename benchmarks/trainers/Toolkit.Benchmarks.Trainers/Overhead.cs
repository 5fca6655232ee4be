using System.Diagnostics;
using System.Globalization;
using Toolkit.Trainers.Abstractions;
using Toolkit.Trainers.Hosting;
using Toolkit.Trainers.Models;
using Toolkit.Trainers.Training;
using static TorchSharp.torch;

namespace Toolkit.Benchmarks.Trainers;

/// <summary>
/// <c>overhead MODEL WIDTH BATCH FRAMES CROP [STEPS] [ROUNDS]</c>: where a training step's time goes besides the model.
/// One in-memory batch, the video-classifier's optimizer (AdamW, its parameter groups); per round, in interleaved
/// order, STEPS steps of each variant: <b>bare</b> (zero_grad, forward, cross-entropy, backward, step), <b>+norm</b>
/// (the L2 gradient norm read back, as the plugin clips), <b>+syncs</b> (also loss and top-1 read back: the plugin's
/// three host syncs), <b>+lr</b> (also the LR set on every group), and the host's recording of one step
/// (<see cref="MetricsRecorder.Iteration"/>, with TensorBoard) timed alone. Prints ms per step, mean ± sd over rounds.
/// </summary>
internal static class Overhead
{
    public static void Run(string name, double width, int batch, int frames, int crop, int steps, int rounds)
    {
        var entry = ModelZoo.Get(name);
        var spec = new ModelSpec(entry.Name, 4) { Width = width, Depth = 0.34 };
        using var model = spec.Create(new ModelOptions { Seed = 0 });
        model.train();
        var groups = ParameterGroups.Split(model, model.Backbone);
        var preset = OptimizerPresets.Get("adamw-30e");
        using var optimizer = Optimizers.Create(preset, groups);
        var parameters = model.parameters().ToList();
        using var g = new Generator(0);
        using var x = randn([batch, 3, frames, crop, crop], generator: g);
        using var y = randint(4, [batch], generator: g, dtype: ScalarType.Int64);

        double Step(int level)
        {
            var clock = Stopwatch.StartNew();
            using (NewDisposeScope())
            {
                if (level >= 3)
                    Optimizers.SetLearningRate(optimizer, 1e-3);
                optimizer.zero_grad();
                var logits = model.call(x);
                var loss = nn.functional.cross_entropy(logits, y);
                loss.backward();
                if (level >= 1)
                    _ = GradientClipping.ClipL2(parameters, 40);
                optimizer.step();
                if (level >= 2)
                {
                    _ = loss.item<float>();
                    _ = Accuracy.TopK(logits.detach(), y, 1);
                }
            }
            return clock.Elapsed.TotalSeconds;
        }

        string dir = Path.Combine(Path.GetTempPath(), $"toolkit-bench-overhead-{Guid.NewGuid():N}");
        try
        {
            var recorder = new MetricsRecorder(dir);
            var lrs = groups.ToDictionary(p => p.Name, p => 1e-3, StringComparer.Ordinal);
            long step = 0;
            double Record()
            {
                var clock = Stopwatch.StartNew();
                recorder.Iteration(new IterationMetrics(0, (int)(step % 1000), step, 1.0, 1e-3, 1.0, batch, 0.01, 0.001) { GroupLearningRates = lrs });
                step++;
                return clock.Elapsed.TotalSeconds;
            }

            for (int i = 0; i < 3; i++)
            {
                for (int level = 0; level < 4; level++)
                    Step(level);
                Record();
            }
            var times = new List<double>[5];
            for (int v = 0; v < 5; v++)
                times[v] = [];
            for (int r = 0; r < rounds; r++)
            {
                // Rotating order, so no variant always runs first in a round.
                for (int k = 0; k < 4; k++)
                {
                    int level = (k + r) % 4;
                    double total = 0;
                    for (int i = 0; i < steps; i++)
                        total += Step(level);
                    times[level].Add(1000 * total / steps);
                }
                double rec = 0;
                for (int i = 0; i < 100; i++)
                    rec += Record();
                times[4].Add(1000 * rec / 100);
            }
            string F(List<double> t) => Stats.Format(t, "F3");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} w{width} {batch}×3×{frames}×{crop}² ({parameters.Sum(p => p.numel()) / 1e6:F2}M) | {F(times[0])} | {F(times[1])} | {F(times[2])} | {F(times[3])} | {F(times[4])} | {rounds} × {steps} |"));
        }
        finally
        {
            if (Directory.Exists(dir))
                Directory.Delete(dir, recursive: true);
        }
    }
}
