using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OpenCvSharp;
using Toolkit.Core;
using Toolkit.Ingest.Decoding;
using Toolkit.Ingest.Discovery;
using Toolkit.Ingest.Flow;
using Toolkit.Ingest.Imaging;
using Toolkit.Ingest.Output;
using Toolkit.Ingest.Probing;

namespace Toolkit.Ingest.Pipeline;

/// <summary>
/// <c>toolkit extract</c>: discover → probe → decode → encode RGB / compute flow → write, as stages on bounded channels.
/// One bad video is a reported result, never an exception; infrastructure faults (disk full, permission denied on the
/// output) stop the run, cancel every stage, remove what was half-written and surface as a <see cref="ToolkitError"/>.
/// </summary>
public sealed class ExtractPipeline
{
    private readonly ExtractOptions _options;
    private readonly ExtractSettings _settings;
    private readonly ExtractProgress _progress;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<VideoJob, byte> _active = new();
    private readonly ConcurrentQueue<VideoResult> _results = new();
    private readonly Channel<VideoJob> _completed = Channel.CreateUnbounded<VideoJob>(new UnboundedChannelOptions { SingleReader = true });
    private OutputStore? _store;
    private long _framesWritten;
    private long _flowsWritten;
    private int _unprobed; // videos of this run not yet probed (or found unreadable): 0 once the last one is on its way
    private CancellationToken _run;

    private ExtractPipeline(ExtractOptions options, ExtractProgress progress, ILogger logger)
    {
        _options = options;
        _settings = options.Settings;
        _progress = progress;
        _logger = logger;
    }

    /// <summary>Runs a whole extraction and returns what happened to every video of this shard.</summary>
    /// <exception cref="ToolkitError">The run could not start or had to stop (bad options, settings mismatch, disk full, permission denied).</exception>
    /// <exception cref="OperationCanceledException">The run was cancelled; completed videos stay, half-written ones are removed.</exception>
    public static Task<ExtractSummary> RunAsync(ExtractOptions options, ExtractProgress? progress = null, ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return new ExtractPipeline(options, progress ?? new ExtractProgress(), logger ?? NullLogger.Instance).RunAsync(cancellationToken);
    }

    private async Task<ExtractSummary> RunAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var found = _options.Segments is { } segments
            ? await SourceDiscovery.DiscoverSegmentsAsync(segments, _options.Source, _settings.Level, cancellationToken).ConfigureAwait(false)
            : await SourceDiscovery.DiscoverAsync(_options.Source, _settings.Level, _options.Extensions, _options.Output, cancellationToken).ConfigureAwait(false);
        if (found.Videos.Count == 0 && found.Problems.Count == 0)
        {
            // Nothing to convert: refused before OUT is touched, so a typo in the source path leaves no OUT/.toolkit behind.
            throw _options.Segments is { } listed
                ? new ToolkitError(listed, "lists no segments", "add lines 'path start end [label]' (seconds)")
                : new ToolkitError(_options.Source, Directory.Exists(_options.Source) || File.Exists(_options.Source)
                    ? (_options.Extensions is { } ext ? $"holds no videos (extensions: {string.Join(", ", ext)})" : "holds no files")
                    : "does not exist",
                    "check the path; --ext adds extensions (--ext any takes every file)");
        }
        if (_settings.WritesFlow)
        {
            // One thread per OpenCV call: the pipeline parallelises across frames. Only the library a run uses is loaded
            // (OpenCvSharp's runtime alone costs about 50 ms of CPU to load); the shim fails early with a clear message.
            if (_settings.Flow == FlowAlgorithm.Farneback)
                Cv2.SetNumThreads(1);
            else
                NativeFlow.SetNumThreads(1);
            if (_settings.Flow == FlowAlgorithm.TvL1)
                NativeFlow.CreateTvL1().Dispose(); // TV-L1 comes from a second library: a missing one stops the run here, before OUT is touched
        }
        JpegEncoder.EnsureAvailable();

        using var store = OutputStore.Open(_options.Output, _settings, _options.Shard, _options.Force);
        _store = store;
        var mine = found.Videos.Where(v => _options.Shard.Owns(v.Key)).ToList();
        var problems = found.Problems.Where(p => _options.Shard.Owns(p.Path)).ToList();
        _progress.SetTotal(mine.Count + problems.Count);
        _logger.LogInformation("{Count} video(s) in shard {Shard} of {Total} found in {Source}", mine.Count, _options.Shard, found.Videos.Count, _options.Source);

        foreach (var problem in problems)
            Report(new VideoResult(problem.Path, null, VideoStatus.Failed, 0, 0, problem.Reason, [], 0));

        var todo = new List<VideoSource>();
        foreach (var video in mine)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_options.Resume && !_options.Force && store.CompleteEntry(video) is { } entry)
            {
                Report(new VideoResult(video.Path, video.OutputName, VideoStatus.Skipped, entry.Frames == 0 ? entry.DecodedFrames : entry.Frames, entry.Flows, null, entry.Notes, 0));
                continue;
            }
            if (OutputStore.NameProblem(video.OutputName) is { } nameProblem)
            {
                Report(new VideoResult(video.Path, video.OutputName, VideoStatus.Failed, 0, 0, nameProblem, [], 0));
                continue;
            }
            // Whatever stands at its place now is not a complete, current conversion: retract its manifest entry (tombstone,
            // flushed), then remove it, so nothing stale looks complete even if the redo fails or the run is killed.
            Guard(() => store.Retract(video), store.ManifestPath);
            Guard(() => store.Discard(store.FinalPath(video.OutputName)), store.FinalPath(video.OutputName));
            todo.Add(video);
        }

        if (todo.Count > 0)
            await RunStagesAsync(todo, cancellationToken).ConfigureAwait(false);

        return new ExtractSummary(_results.OrderBy(r => r.Source, StringComparer.Ordinal).ToList(),
            Interlocked.Read(ref _framesWritten), Interlocked.Read(ref _flowsWritten), _progress.Bytes, clock.Elapsed, store.ManifestPath);
    }

    private async Task RunStagesAsync(List<VideoSource> todo, CancellationToken cancellationToken)
    {
        using var runCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _run = runCts.Token;
        int workers = _options.Workers;
        // Encode/flow workers run synchronous CPU work on pool threads; without enough threads up front, the decoders'
        // and the writer's continuations wait for the pool to grow (about one thread per half second) and cores idle.
        ThreadPool.GetMinThreads(out int minWorkers, out int minIo);
        int needed = workers + (2 * _options.Decoders) + 8;
        if (minWorkers < needed)
            ThreadPool.SetMinThreads(needed, minIo);
        _unprobed = todo.Count;
        var sources = Stage.Bounded<VideoSource>(4, singleWriter: true);
        var probed = Stage.Bounded<(VideoSource Video, VideoInfo Info, SourceIdentity Identity)>(2);
        var frames = Stage.Bounded<FrameWork>(workers * _options.FramesPerWorker);
        var batches = Stage.Bounded<FileBatch>(workers * _options.FramesPerWorker, singleReader: true);

        Task Guarded(Func<Task> body) => Task.Run(async () =>
        {
            try
            {
                await body().ConfigureAwait(false);
            }
            catch
            {
                runCts.Cancel();
                throw;
            }
        });

        var stages = new[]
        {
            Guarded(() => DiscoverStage(todo, sources.Writer)),
            Guarded(() => Stage.RunAsync(2, probed.Writer, _ => ProbeStage(sources.Reader, probed.Writer))),
            Guarded(() => Stage.RunAsync(_options.Decoders, frames.Writer, _ => DecodeStage(probed.Reader, frames.Writer))),
            Guarded(() => Stage.RunAsync(workers, batches.Writer, _ => WorkStage(frames.Reader, batches.Writer))),
            Guarded(() => WriteStage(batches.Reader)),
        };

        var completion = Guarded(CompletionStage);

        try
        {
            await Task.WhenAll(stages).ConfigureAwait(false);
        }
        catch
        {
            // Collected below, with the root cause first.
        }
        finally
        {
            Shutdown(frames.Reader, batches.Reader);
            _completed.Writer.TryComplete();
            try
            {
                await completion.ConfigureAwait(false);
            }
            catch
            {
                // Collected below.
            }
            DiscardUnfinished();
        }

        var errors = stages.Append(completion).Where(t => t.IsFaulted).Select(t => t.Exception!.GetBaseException()).ToList();
        var root = errors.FirstOrDefault(e => e is ToolkitError) ?? errors.FirstOrDefault(e => e is not OperationCanceledException and not ChannelClosedException);
        if (root is not null)
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(root);
        cancellationToken.ThrowIfCancellationRequested();
        if (errors.Count > 0)
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(errors[0]);
    }

    private async Task DiscoverStage(List<VideoSource> todo, ChannelWriter<VideoSource> output)
    {
        try
        {
            foreach (var video in todo)
                await output.WriteAsync(video, _run).ConfigureAwait(false);
        }
        finally
        {
            output.TryComplete();
        }
    }

    private async Task ProbeStage(ChannelReader<VideoSource> input, ChannelWriter<(VideoSource, VideoInfo, SourceIdentity)> output)
    {
        await foreach (var video in input.ReadAllAsync(_run).ConfigureAwait(false))
        {
            // The identity is taken before anything reads the file: the commit compares it with the file as it is then.
            if (SourceIdentity.Of(video.Path) is not { } identity)
            {
                Interlocked.Decrement(ref _unprobed);
                Report(new VideoResult(video.Path, video.OutputName, VideoStatus.Failed, 0, 0, "the file disappeared before it was read", [], 0));
                continue;
            }
            var probe = await VideoProbe.ProbeAsync(video.Path, _run, _options.Decoder).ConfigureAwait(false);
            Interlocked.Decrement(ref _unprobed); // before the write: a decoder that takes the last video sees 0
            if (probe.Info is null)
            {
                Report(new VideoResult(video.Path, video.OutputName, VideoStatus.Failed, 0, 0, probe.Failure, [], 0));
                continue;
            }
            if (TooLargeForMemory(probe.Info) is { } tooLarge)
            {
                Report(new VideoResult(video.Path, video.OutputName, VideoStatus.Failed, 0, 0, tooLarge, [], 0));
                continue;
            }
            await output.WriteAsync((video, probe.Info, identity), _run).ConfigureAwait(false);
        }
    }

    /// <summary>About how many frames a video gives with this run's settings (for progress only).</summary>
    private long ExpectedFrames(VideoInfo info, TimeSegment? segment)
    {
        if (segment is null && _settings.Fps is null && info.DeclaredFrames is long declared && declared > 0)
            return declared;
        double seconds = info.Duration.TotalSeconds;
        if (segment is { } s)
            seconds = Math.Max(0, Math.Min(s.End, seconds > 0 ? seconds : s.End) - s.Start);
        double rate = _settings.Fps ?? info.FrameRate;
        return Math.Max(1, (long)Math.Round(seconds * rate));
    }

    /// <summary>Why a video's frames would not fit in memory with this run's workers and decoders, or null.</summary>
    private string? TooLargeForMemory(VideoInfo info)
    {
        var size = _settings.TargetSize(info.Width, info.Height);
        double needed = _options.FramesInFlightBytes(info.Width, info.Height, size);
        long limit = _options.MemoryLimit ?? MemoryBudget.Available;
        if (needed <= MemoryBudget.Share * limit)
            return null;
        return $"its {info.Width}x{info.Height} frames ({size} written) need about {MemoryBudget.Format(needed)} in flight with {_options.Workers} worker(s) and {_options.Decoders} decoder(s), "
             + $"more than half of the {MemoryBudget.Format(limit)} of memory available; shrink them with --short-side or --size, or lower --workers and --decoders";
    }

    private async Task DecodeStage(ChannelReader<(VideoSource Video, VideoInfo Info, SourceIdentity Identity)> input, ChannelWriter<FrameWork> output)
    {
        var store = _store!;
        await foreach (var (video, info, identity) in input.ReadAllAsync(_run).ConfigureAwait(false))
        {
            var size = _settings.TargetSize(info.Width, info.Height);
            string temp = store.TemporaryPath(video.OutputName);
            Guard(() => store.BeginVideo(video.OutputName), temp);
            var job = new VideoJob(video, info, size, temp, identity, _run);
            _active[job] = 0;
            _progress.BeginVideo(video.Path, ExpectedFrames(info, video.Segment));
            SharedGray? previous = null;
            bool flow = _settings.WritesFlow;
            bool rgb = _settings.WritesRgb;
            var layout = new FrameLayout(size, rgb ? PixelLayout.Yuv420 : PixelLayout.Gray);
            int threads = DecoderThreadsFor(input);
            _options.DecoderStarted?.Invoke(video.Path, threads);

            async ValueTask OnFrame(byte[] frame, int index)
            {
                SharedGray? current = null;
                if (flow)
                    current = new SharedGray(rgb ? LumaOf(frame, layout) : frame); // a gray frame is the flow input itself
                var item = new FrameWork(job, index, rgb ? frame : null, previous?.Retain(), current?.Retain());
                previous?.Release();
                previous = current;
                job.Retain();
                try
                {
                    await output.WriteAsync(item, job.Cancellation.Token).ConfigureAwait(false);
                }
                catch
                {
                    item.Free();
                    job.Release(); // the decoder still holds its own token, so this is never the last
                    throw;
                }
                _progress.AddFrame(video.Path);
            }

            try
            {
                var outcome = await FrameDecoder.DecodeAsync(video.Path, info, layout, _settings.Fps, threads, OnFrame, job.Cancellation.Token, _options.Decoder, video.Segment).ConfigureAwait(false);
                job.DecodedFrames = outcome.Frames;
                job.Notes = outcome.Warnings;
                if (outcome.Error is not null)
                    job.Fail(outcome.Error);
                else if (flow && !rgb && outcome.Frames < 2)
                    job.Fail($"only {outcome.Frames} frame decoded: optical flow needs at least 2 frames");
            }
            catch (OperationCanceledException) when (!_run.IsCancellationRequested)
            {
                // The video failed elsewhere (its reason is already recorded) and its decoder was stopped.
            }
            catch (Exception e) when (e is not OperationCanceledException and not ToolkitError)
            {
                job.Fail($"decoding failed: {e.Message}");
            }
            finally
            {
                previous?.Release();
                Release(job);
            }
        }
    }

    /// <summary>
    /// Decoder threads for the video just taken from <paramref name="probed"/>: <see cref="ExtractOptions.DecoderThreads"/>,
    /// except for the last video of the run, which gets the share of every decoder (the others are finishing or idle).
    /// Without it the run's tail is one single-threaded decode while the other cores wait: on six 10-s 640×360 RGB clips
    /// the last 0.6 s ran at 60–70 % of two cores. Threaded decoding gives the same frames, so the output is unchanged.
    /// </summary>
    private int DecoderThreadsFor(ChannelReader<(VideoSource, VideoInfo, SourceIdentity)> probed)
    {
        int threads = _options.DecoderThreads;
        bool last = Volatile.Read(ref _unprobed) == 0 && probed.Count == 0; // every video probed, none waiting
        if (threads == 0 || _options.Decoders == 1 || !last)
            return threads; // 0: libavcodec decides anyway; more videos to come: the other decoders keep their cores busy
        return Math.Min(64, threads * _options.Decoders);
    }

    private async Task WorkStage(ChannelReader<FrameWork> input, ChannelWriter<FileBatch> output)
    {
        IOpticalFlow? flow = null;
        using var jpeg = new JpegEncoder(_settings.JpegQuality);
        try
        {
            await foreach (var item in input.ReadAllAsync(_run).ConfigureAwait(false))
            {
                var job = item.Job;
                FileBatch? batch = null;
                if (job.Failure is null)
                {
                    try
                    {
                        if (item.Previous is not null)
                            flow ??= OpticalFlowFactory.Create(_settings.Flow, _settings.DisPreset);
                        batch = Encode(item, jpeg, flow);
                    }
                    catch (Exception e) when (e is OpenCVException or InvalidOperationException or ArgumentException)
                    {
                        job.Fail($"frame {item.Index + _settings.StartIndex}: {e.Message}");
                    }
                }
                item.Free();
                if (batch is null)
                {
                    Release(job);
                    continue;
                }
                await output.WriteAsync(batch, _run).ConfigureAwait(false);
            }
        }
        finally
        {
            flow?.Dispose();
        }
    }

    private FileBatch Encode(FrameWork item, JpegEncoder jpeg, IOpticalFlow? flow)
    {
        var size = item.Job.Size;
        var files = new List<(string, byte[])>(3);
        int rgb = 0, flows = 0;
        if (item.Image is { } image)
        {
            files.Add((_settings.RgbName(item.Index), jpeg.EncodeYuv420(image, size)));
            rgb = 1;
        }
        if (flow is not null && item.Previous is { } previous && item.Current is { } current)
        {
            var (x, y) = FlowImages.Encode(flow, jpeg, previous.Data, current.Data, size, _settings.FlowBound);
            files.Add((_settings.FlowXName(item.Index - 1), x));
            files.Add((_settings.FlowYName(item.Index - 1), y));
            flows = 1;
        }
        return new FileBatch(item.Job, files, rgb, flows);
    }

    /// <summary>A copy of the Y plane, which is the gray image flow needs (the frame itself goes on to the JPEG encoder).</summary>
    private static byte[] LumaOf(byte[] frame, FrameLayout layout)
    {
        byte[] gray = ArrayPool<byte>.Shared.Rent(layout.LumaBytes);
        frame.AsSpan(0, layout.LumaBytes).CopyTo(gray);
        return gray;
    }

    private async Task WriteStage(ChannelReader<FileBatch> input)
    {
        await foreach (var batch in input.ReadAllAsync(_run).ConfigureAwait(false))
        {
            var job = batch.Job;
            if (job.Failure is null)
            {
                long bytes = 0;
                foreach (var (name, data) in batch.Files)
                {
                    string path = Path.Combine(job.Temporary, name);
                    if (!WriteFile(job, path, data))
                        break;
                    bytes += data.Length;
                }
                if (job.Failure is null)
                {
                    job.Written(batch.Rgb, batch.Flow, bytes);
                    _progress.AddBytes(bytes);
                }
            }
            Release(job);
        }
    }

    /// <summary>Writes one file; false (and the video failed) for a per-video problem, throws for a run-stopping one.</summary>
    private static bool WriteFile(VideoJob job, string path, byte[] data)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.None);
            stream.Write(data);
            return true;
        }
        catch (IOException e) when (!OutputStore.IsDiskFull(e) && e is PathTooLongException)
        {
            job.Fail($"cannot write {path}: the path is too long; shorten the video's name or the output path");
            return false;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Fatal(e, path);
        }
    }

    /// <summary>
    /// Releases one of <paramref name="job"/>'s items; the last release hands the video to the completion stage, the one
    /// place where a video ends (checked, committed or discarded, reported).
    /// </summary>
    private void Release(VideoJob job)
    {
        if (!job.Release())
            return;
        _active.TryRemove(job, out _); // in flight no more: a shutdown leaves it to the completion stage
        _completed.Writer.TryWrite(job);
    }

    /// <summary>Ends every video whose items are all released, one at a time, until the stages and the shutdown are done.</summary>
    private async Task CompletionStage()
    {
        // No cancellation token: a stopped run still ends (fails and cleans up) every video it started.
        await foreach (var job in _completed.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
            Finish(job);
    }

    private void Finish(VideoJob job)
    {
        var store = _store!;
        using (job)
        {
            double seconds = job.Clock.Elapsed.TotalSeconds;
            if (_run.IsCancellationRequested && job.Failure is null)
                job.Fail("the run stopped before this video was complete");
            if (job.Failure is null)
            {
                int expectedRgb = _settings.WritesRgb ? job.DecodedFrames : 0;
                int expectedFlow = _settings.WritesFlow ? Math.Max(0, job.DecodedFrames - 1) : 0;
                if (job.RgbWritten != expectedRgb || job.FlowWritten != expectedFlow)
                    job.Fail($"wrote {job.RgbWritten} RGB and {job.FlowWritten} flow frame(s) but expected {expectedRgb} and {expectedFlow}");
            }
            if (job.Failure is null)
                _options.BeforeCommit?.Invoke(job.Source.Path);
            if (job.Failure is null && SourceIdentity.Of(job.Source.Path) is var now && now != job.Identity)
            {
                job.Fail($"the source changed while it was being extracted (before: {job.Identity}; now: {(now is { } n ? n.ToString() : "gone")}); " +
                    "nothing was recorded: run again to extract it as it is now");
            }
            if (job.Failure is { } failure)
            {
                Guard(() => store.Discard(job.Temporary), job.Temporary);
                if (!_run.IsCancellationRequested)
                    Report(new VideoResult(job.Source.Path, job.Source.OutputName, VideoStatus.Failed, 0, 0, failure, job.Notes, seconds));
                return;
            }
            var entry = new ManifestEntry
            {
                Output = job.Source.OutputName,
                Source = job.Source.Key,
                SourcePath = job.Source.Path,
                SourceSize = job.Identity.Size,
                SourceMtime = job.Identity.MtimeMs,
                SourceInode = job.Identity.Inode == 0 ? null : job.Identity.Inode,
                Class = job.Source.ClassName,
                SegmentStart = job.Source.Segment?.Start,
                SegmentEnd = job.Source.Segment?.End,
                Frames = job.RgbWritten,
                DecodedFrames = job.DecodedFrames,
                Flows = job.FlowWritten,
                Width = job.Size.Width,
                Height = job.Size.Height,
                Fps = _settings.Fps ?? job.Info.FrameRate,
                Bytes = job.Bytes,
                Settings = store.SettingsHash,
                Notes = job.Notes,
                Completed = DateTimeOffset.UtcNow,
            };
            Guard(() => store.Commit(job.Temporary, entry), store.FinalPath(job.Source.OutputName));
            Interlocked.Add(ref _framesWritten, job.RgbWritten);
            Interlocked.Add(ref _flowsWritten, job.FlowWritten);
            Report(new VideoResult(job.Source.Path, job.Source.OutputName, VideoStatus.Done, _settings.WritesRgb ? job.RgbWritten : job.DecodedFrames, job.FlowWritten, null, job.Notes, seconds));
        }
    }

    /// <summary>After the stages stop: fail what is in flight and release what is left in the channels (their videos go to the completion stage).</summary>
    private void Shutdown(ChannelReader<FrameWork> frames, ChannelReader<FileBatch> batches)
    {
        foreach (var job in _active.Keys)
            job.Fail("the run stopped before this video was complete");
        while (frames.TryRead(out var item))
        {
            item.Free();
            Release(item.Job);
        }
        while (batches.TryRead(out var batch))
        {
            Release(batch.Job);
        }
    }

    /// <summary>After the completion stage has ended: the temporary folders of videos it never finished (it stopped on a fatal error) or never received.</summary>
    private void DiscardUnfinished()
    {
        var unfinished = _active.Keys.ToList();
        while (_completed.Reader.TryRead(out var queued))
            unfinished.Add(queued);
        foreach (var job in unfinished)
        {
            try
            {
                _store!.Discard(job.Temporary);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                _logger.LogWarning("could not remove {Folder}: {Reason}", job.Temporary, e.Message);
            }
        }
    }

    private void Report(VideoResult result)
    {
        _results.Enqueue(result);
        _progress.Report(result);
    }

    private static void Guard(Action action, string path)
    {
        try
        {
            action();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Fatal(e, path);
        }
    }

    private static ToolkitError Fatal(Exception e, string path) =>
        WriteFailure.Of(e, path, "then rerun: completed videos are kept and skipped, half-written ones were removed");
}
