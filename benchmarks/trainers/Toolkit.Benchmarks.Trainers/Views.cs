using System.Diagnostics;
using System.Globalization;
using Toolkit.Trainers.Abstractions;
using Toolkit.Trainers.Hosting;
using Toolkit.Trainers.Hosting.Testing;
using static TorchSharp.torch;

namespace Toolkit.Benchmarks.Trainers;

/// <summary>
/// <c>views CHECKPOINT CONFIG [REPEATS]</c>: what multi-view testing costs against the bare model. A: the real
/// <c>toolkit test</c> (TestRun through the plugin catalog: decode, resize, crops, one forward per batch of videos with
/// all their views, averaging, reports) on the config's test list and protocol. B: the same scorer on zero clips, the
/// same forward passes (per batch of videos, its clips in passes of the protocol's clips per forward) — the plain-batch
/// time of the same number of clips. C: one video's views one at a time. D (standard error): the bare model's clips/s
/// by clips per forward pass. A and B alternate REPEATS times after one untimed run of each. Prints one markdown row.
/// </summary>
internal static class Views
{
    public static async Task RunAsync(string checkpoint, string config, int repeats)
    {
        using var catalog = PluginCatalog.Load(Path.Combine(AppContext.BaseDirectory, "plugins"));
        var plugin = catalog.Get("video-classifier");
        var target = TestTarget.Resolve(checkpoint, null, config);
        var protocol = target.Config.Test.Resolve(target.Config.Data);
        string output = Path.Combine(Path.GetTempPath(), $"toolkit-bench-views-{Guid.NewGuid():N}");
        int classes = target.Config.Data.Classes;
        int perForward = protocol.ClipsPerForwardOn(TorchSharp.DeviceType.CPU);
        int clipsPerBatch = protocol.Batch * protocol.ViewsPerVideo;
        long[] views = [perForward, 3, protocol.ClipLen, protocol.Crop, protocol.Crop];
        try
        {
            async Task<TestSummary> Test() => await TestRun.RunAsync(plugin, new TestRunOptions { Target = target, Protocol = protocol, Output = output }, CancellationToken.None).ConfigureAwait(false);
            using var scorer = ((IEvaluatingPlugin)plugin.Instance).OpenScorer(new ScorerRequest(target.Config.Trainer, target.Checkpoint, classes, CPU, [3, protocol.ClipLen, protocol.Crop, protocol.Crop]));
            using var batch = zeros(views);
            // The same forward passes as the test makes: per batch of videos, its clips in passes of perForward.
            double Plain(int batches)
            {
                var clock = Stopwatch.StartNew();
                for (int b = 0; b < batches; b++)
                {
                    for (int done = 0; done < clipsPerBatch; done += perForward)
                    {
                        using var scope = NewDisposeScope();
                        var part = done + perForward <= clipsPerBatch ? batch : batch.narrow(0, 0, clipsPerBatch - done);
                        _ = scorer.Score(part).sum().item<float>();
                    }
                }
                return clock.Elapsed.TotalSeconds;
            }

            var first = await Test().ConfigureAwait(false); // untimed: JIT, caches
            int passes = (int)Math.Ceiling(first.Evaluated / (double)protocol.Batch);
            Plain(1);
            var wall = new List<double>();
            var forward = new List<double>();
            var plain = new List<double>();
            for (int r = 0; r < repeats; r++)
            {
                var s = await Test().ConfigureAwait(false);
                wall.Add(s.Seconds);
                forward.Add(s.ForwardSeconds);
                plain.Add(Plain(passes));
            }
            // C: one video's views as single clips.
            using var one = zeros([1, 3, protocol.ClipLen, protocol.Crop, protocol.Crop]);
            var single = Stopwatch.StartNew();
            for (int i = 0; i < protocol.ViewsPerVideo; i++)
            {
                using var scope = NewDisposeScope();
                _ = scorer.Score(one).sum().item<float>();
            }
            double singleClipsPerSecond = protocol.ViewsPerVideo / single.Elapsed.TotalSeconds;
            // D: clips/s of the bare model by clips per forward pass (the same 30 clips, split), for the chunk default.
            var sweep = new List<string>();
            foreach (int size in new[] { 1, 2, 4, 8, 15, 30 })
            {
                using var chunk = zeros([size, 3, protocol.ClipLen, protocol.Crop, protocol.Crop]);
                int passes2 = Math.Max(1, 30 / size);
                using (NewDisposeScope())
                    _ = scorer.Score(chunk).sum().item<float>();
                var c = Stopwatch.StartNew();
                for (int i = 0; i < passes2; i++)
                {
                    using var scope = NewDisposeScope();
                    _ = scorer.Score(chunk).sum().item<float>();
                }
                sweep.Add(string.Create(CultureInfo.InvariantCulture, $"{size}: {passes2 * size / c.Elapsed.TotalSeconds:F2}"));
            }
            Console.Error.WriteLine($"bare model clips/s by clips per forward pass: {string.Join(", ", sweep)}");

            int clips = first.Evaluated * protocol.ViewsPerVideo;
            var ratio = wall.Zip(plain, (w, p) => w / p).ToList();
            var forwardRatio = forward.Zip(plain, (f, p) => f / p).ToList();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {first.Evaluated} videos × {protocol.ViewsPerVideo} views ({protocol.Clips}×{(int)protocol.Crops}, {protocol.ClipLen}×{protocol.Crop}², batch {protocol.Batch} video(s) = {clipsPerBatch} clips in passes of {perForward}) | {Stats.Format(wall)} | {Stats.Format(forward)} | {Stats.Format(plain)} | **{Stats.Format(ratio, "F3")}** | {Stats.Format(forwardRatio, "F3")} | {Stats.Format([.. wall.Select(w => clips / w)], "F2")} | {Stats.Format([.. plain.Select(p => clips / p)], "F2")} | {singleClipsPerSecond:F2} |"));
            Console.WriteLine($"model: {scorer.Description}; protocol: {protocol}; {repeats} repeats (A B alternating after one untimed run of each)");
        }
        finally
        {
            if (Directory.Exists(output))
                Directory.Delete(output, recursive: true);
        }
    }
}
