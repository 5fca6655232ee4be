// Throughput of the augment recipes (OpenCV path) and the cost of mixup / cutmix per batch, for BENCHMARKS.md.
//   AugmentBench recipe NAME CLIPS THREADS ROUNDS   -> best round's clips/s (8-frame 340x256 clips, THREADS workers)
//   AugmentBench mix mixup|cutmix BATCH ROUNDS       -> median ms per batch of BATCH x 3 x 8 x 224 x 224 float32 on the CPU
using System.Diagnostics;
using System.Globalization;
using OpenCvSharp;
using Toolkit.Augment;
using Toolkit.Augment.Pipeline;
using Toolkit.Augment.Sampling;
using Toolkit.Augment.Tensors.Batch;
using static TorchSharp.torch;

if (args.Length >= 5 && args[0] == "recipe")
{
    string name = args[1];
    int clips = Int(args[2]), threads = Int(args[3]), rounds = Int(args[4]);
    Cv2.SetNumThreads(1); // parallelism comes from the workers, as in the C++ baseline
    // "bare-rrc" / "bare-rescale": the same OpenCvSharp calls with no pipeline (separates our overhead from OpenCV's version).
    bool bare = name.StartsWith("bare-", StringComparison.Ordinal);
    var recipe = Recipes.Get(bare ? name[5..] : name);
    var inputs = Enumerable.Range(0, 16).Select(i =>
    {
        var frames = Enumerable.Range(0, 8).Select(_ =>
        {
            var m = new Mat(256, 340, MatType.CV_8UC3);
            Cv2.Randu(m, Scalar.All(0), Scalar.All(255));
            return m;
        });
        return new Clip(frames, ClipKind.Rgb);
    }).ToArray();
    double best = 0;
    for (int round = 0; round <= rounds; round++) // round 0 warms up (JIT, allocations)
    {
        var sw = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
        {
            for (int i = t; i < clips; i += threads)
            {
                if (bare)
                {
                    Bare(recipe.Name, inputs[i % inputs.Length], ClipSeed.Rng(round, 0, i));
                    continue;
                }
                using var output = recipe.Run(inputs[i % inputs.Length], ClipSeed.Rng(round, 0, i));
                if (output.Frames.Count != 8)
                    throw new InvalidOperationException("wrong frame count");
            }
        })).ToList();
        workers.ForEach(w => w.Start());
        workers.ForEach(w => w.Join());
        double rate = clips / sw.Elapsed.TotalSeconds;
        if (round > 0)
            best = Math.Max(best, rate);
    }
    Console.WriteLine(best.ToString("F1", CultureInfo.InvariantCulture));
    foreach (var c in inputs)
        c.Dispose();
    return 0;
}
if (args.Length >= 4 && args[0] == "mix")
{
    int batch = Int(args[2]), rounds = Int(args[3]);
    var options = args[1] == "cutmix" ? MixOptions.CutMix(400) : MixOptions.Mixup(400);
    var mixer = new BatchMixer(options);
    using var g0 = new Generator(1, CPU);
    using var x = rand([batch, 3, 8, 224, 224], generator: g0);
    using var y = randint(0, 400, [batch], ScalarType.Int64, generator: g0);
    var times = new List<double>();
    for (int round = 0; round <= rounds; round++)
    {
        using var g = new Generator((ulong)round, CPU);
        var sw = Stopwatch.StartNew();
        using (var scope = NewDisposeScope())
        {
            using var r = mixer.Mix(x, y, g); // CPU ops are synchronous: done when Mix returns
        }
        if (round > 0)
            times.Add(sw.Elapsed.TotalMilliseconds);
    }
    times.Sort();
    Console.WriteLine(times[times.Count / 2].ToString("F2", CultureInfo.InvariantCulture));
    return 0;
}
Console.Error.WriteLine("usage: AugmentBench recipe NAME CLIPS THREADS ROUNDS | mix mixup|cutmix BATCH ROUNDS");
return 2;

static int Int(string s) => int.Parse(s, CultureInfo.InvariantCulture);

static void Bare(string recipe, Clip clip, Random rng)
{
    int w0 = clip.Width, h0 = clip.Height;
    if (recipe == "rrc")
    {
        var (w, h) = Toolkit.Augment.Geometry.Resize.ShortSide(w0, h0, 256);
        var box = new Toolkit.Augment.Geometry.RandomResizedCrop().SampleParams(ClipInfo.Original(w, h, 8, ClipKind.Rgb), rng).Box.ToRect();
        foreach (var f in clip.Frames)
        {
            using var resized = new Mat();
            Cv2.Resize(f, resized, new OpenCvSharp.Size(w, h), 0, 0, InterpolationFlags.Linear);
            using var view = new Mat(resized, box);
            using var crop = view.Clone();
            using var final = new Mat();
            Cv2.Resize(crop, final, new OpenCvSharp.Size(224, 224), 0, 0, InterpolationFlags.Linear);
        }
    }
    else
    {
        int side = rng.Next(256, 321);
        var (w, h) = Toolkit.Augment.Geometry.Resize.ShortSide(w0, h0, side);
        int x = rng.Next(0, w - 224 + 1), y = rng.Next(0, h - 224 + 1);
        foreach (var f in clip.Frames)
        {
            using var resized = new Mat();
            Cv2.Resize(f, resized, new OpenCvSharp.Size(w, h), 0, 0, InterpolationFlags.Linear);
            using var view = new Mat(resized, new Rect(x, y, 224, 224));
            using var crop = view.Clone();
        }
    }
}
