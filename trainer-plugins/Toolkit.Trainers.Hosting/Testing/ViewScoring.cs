using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Toolkit.Augment.Pipeline;
using Toolkit.Loaders.Datasets;
using Toolkit.Loaders.Pipeline;
using Toolkit.Loaders.Sampling;
using Toolkit.Trainers.Abstractions;
using Toolkit.Trainers.Training;
using static TorchSharp.torch;

namespace Toolkit.Trainers.Hosting.Testing;

/// <summary>One video's scores, its views combined.</summary>
/// <param name="Index">Its index in the dataset (list order).</param>
/// <param name="Labels">Its labels as the list gives them (empty for unlabelled videos).</param>
/// <param name="Scores">One score per class: mean probability (<see cref="ScoreAveraging.Prob"/>) or mean logit.</param>
public sealed record VideoScores(int Index, IReadOnlyList<int> Labels, float[] Scores);

/// <summary>The videos of one forward pass.</summary>
/// <param name="Videos">Scored videos, in list order within the batch.</param>
/// <param name="Failed">Videos of the batch that could not be decoded (left out, never scored).</param>
/// <param name="Views">Views in the forward pass.</param>
/// <param name="ForwardSeconds">Time of the forward pass (the model alone, results on the host).</param>
public sealed record ScoredBatch(IReadOnlyList<VideoScores> Videos, IReadOnlyList<SkippedSample> Failed, int Views, double ForwardSeconds);

/// <summary>
/// The test views of a dataset through a scorer: the loader's workers decode and crop every view of a batch of videos
/// (test mode: evenly spaced clips or TSN segment middles, no randomness, list order), the scorer runs them in forward
/// passes of <see cref="TestProtocol.ClipsPerForwardOn"/> clips (all of them at once on a GPU), and each video's views
/// are combined on the device. Memory stays flat with the dataset's size:
/// only the batches in flight exist.
/// </summary>
public static class ViewScoring
{
    /// <summary>Scores <paramref name="dataset"/>; videos that fail to decode are reported in <see cref="ScoredBatch.Failed"/>, never scored.</summary>
    /// <remarks>
    /// The forward passes run on one thread of their own (<see cref="ComputeThread"/>), each new input shape's first
    /// one packed (<see cref="KernelCachePacking"/>), as the trainer does: awaited on the pool, they shared glibc's
    /// arenas with the decoders, and resident memory grew with the number of videos (issue 21: the demo model on 140
    /// videos peaked at 1.25 GiB, on 420 at 1.45 GiB).
    /// </remarks>
    public static async IAsyncEnumerable<ScoredBatch> RunAsync(IVideoDataset dataset, TestProtocol protocol, IClipScorer scorer, Device device, int workers,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(protocol);
        ArgumentNullException.ThrowIfNull(scorer);
        var pipeline = protocol.Pipeline();
        await using var loader = new ClipLoader(dataset, LoaderOptionsFor(protocol, pipeline, device, workers));
        var scored = Channel.CreateBounded<ScoredBatch>(new BoundedChannelOptions(1) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        int chunk = protocol.ClipsPerForwardOn(device.type);
        var compute = ComputeThread.Run("toolkit-test", () => ScoreAll(loader, dataset, protocol, scorer, chunk, scored.Writer, stop.Token));
        int reported;
        try
        {
            await foreach (var batch in scored.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
                yield return batch;
            reported = await compute.ConfigureAwait(false);
        }
        finally
        {
            // An early stop (the caller broke off, or failed): the compute thread ends before the loader is disposed.
            await stop.CancelAsync().ConfigureAwait(false);
            await ((Task)compute).ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).ConfigureAwait(false);
        }
        // Failures of batches that had no decodable video at all (the loader yields no batch for them).
        var rest = Failures(loader, ref reported);
        if (rest.Count > 0)
            yield return new ScoredBatch([], rest, 0, 0);
    }

    /// <summary>The compute thread's part: every batch of the loader scored and written; the failures reported so far.</summary>
    private static int ScoreAll(ClipLoader loader, IVideoDataset dataset, TestProtocol protocol, IClipScorer scorer, int chunk, ChannelWriter<ScoredBatch> output, CancellationToken cancellationToken)
    {
        try
        {
            var packing = new KernelCachePacking();
            int reported = 0;
            foreach (var batch in loader.EpochAsync(0, cancellationToken).ToBlockingEnumerable(cancellationToken))
            {
                using (batch)
                {
                    var clock = Stopwatch.StartNew();
                    float[] scores;
                    int n = batch.Samples.Count, views = batch.ViewsPerSample;
                    using (NewDisposeScope())
                    {
                        long entries = batch.Inputs.shape[0];
                        var logits = entries <= chunk
                            ? Forward(batch.Inputs)
                            : cat([.. Enumerable.Range(0, (int)((entries + chunk - 1) / chunk)).Select(k => Forward(batch.Inputs.narrow(0, (long)k * chunk, Math.Min(chunk, entries - (long)k * chunk))))], 0);
                        var perView = protocol.Average == ScoreAveraging.Prob ? logits.softmax(-1) : logits;
                        scores = perView.to(ScalarType.Float32).view(n, views, -1).mean([1]).cpu().data<float>().ToArray();
                    }
                    double seconds = clock.Elapsed.TotalSeconds;
                    int classes = scores.Length / Math.Max(1, n);
                    var videos = new VideoScores[n];
                    for (int i = 0; i < n; i++)
                    {
                        int index = batch.Samples[i];
                        videos[i] = new VideoScores(index, dataset[index].Labels, scores.AsSpan(i * classes, classes).ToArray());
                    }
                    output.WriteAsync(new ScoredBatch(videos, Failures(loader, ref reported), (int)batch.Inputs.shape[0], seconds), cancellationToken).AsTask().GetAwaiter().GetResult();
                }
            }
            return reported;

            Tensor Forward(Tensor views)
            {
                using var packed = packing.Around(views, training: false);
                return scorer.Score(views);
            }
        }
        finally
        {
            output.TryComplete();
        }
    }

    /// <summary>Why a video failed, without the path its message starts with (the caller names the video).</summary>
    public static string Why(SkippedSample failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        string prefix = failure.Subject + ": ";
        return failure.Subject.Length > 0 && failure.Reason.StartsWith(prefix, StringComparison.Ordinal) ? failure.Reason[prefix.Length..] : failure.Reason;
    }

    private static IReadOnlyList<SkippedSample> Failures(ClipLoader loader, ref int reported)
    {
        var fresh = loader.SkippedSince(reported);
        reported += fresh.Count;
        return fresh;
    }

    /// <summary>The loader of a test pass: list order, test-mode sampling, every view of a video adjacent, corrupt videos skipped and reported.</summary>
    internal static LoaderOptions LoaderOptionsFor(TestProtocol protocol, ClipPipeline pipeline, Device device, int workers) => new()
    {
        Seed = 0, // test mode samples and crops without randomness; the seed only fixes the (unused) RNG streams
        Shapes = new FixedShapes(protocol.Batch, protocol.ClipLen, protocol.Crop),
        Workers = workers,
        QueueCapacity = 2 * workers,
        ResultCapacity = 2 * workers,
        FrameInterval = protocol.FrameInterval,
        TestMode = true,
        Clips = protocol.Clips,
        Sampler = protocol.Segments ? (_, _) => new TsnSegments(protocol.Clips, 1, testMode: true) : null,
        Shuffle = false,
        DropLast = false,
        Recipe = _ => pipeline,
        OnCorrupt = CorruptPolicy.SkipAndReport,
        Device = device,
    };
}
