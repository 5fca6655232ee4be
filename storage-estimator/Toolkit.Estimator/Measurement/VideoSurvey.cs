using Toolkit.Estimator.Reporting;
using Toolkit.Ingest;
using Toolkit.Ingest.Decoding;
using Toolkit.Ingest.Discovery;
using Toolkit.Ingest.Probing;

namespace Toolkit.Estimator.Measurement;

/// <summary>One usable video of the input: its source size, probed properties and exact frame count.</summary>
/// <param name="Source">The discovered video.</param>
/// <param name="FileBytes">Size of the video file.</param>
/// <param name="Info">What ffprobe says.</param>
/// <param name="Frames">Frames extract will write (decodable frames, after --fps).</param>
/// <param name="Target">Output image size.</param>
/// <param name="Content">What a few of its frames encode to with extract's code, when the survey probed content.</param>
public sealed record SurveyedVideo(VideoSource Source, long FileBytes, VideoInfo Info, int Frames, FrameSize Target, ContentSample? Content = null)
{
    /// <summary>Output pixels of one image.</summary>
    public long TargetPixels => (long)Target.Width * Target.Height;

    /// <summary>RGB images written.</summary>
    public long RgbFiles => Frames;

    /// <summary>Flow images written (x and y of each of frames − 1 pairs).</summary>
    public long FlowFiles => 2L * Math.Max(0, Frames - 1);
}

/// <summary>The usable videos of an input and those excluded.</summary>
/// <param name="Videos">Usable videos, in discovery order.</param>
/// <param name="Excluded">Unusable ones with reasons.</param>
public sealed record Survey(IReadOnlyList<SurveyedVideo> Videos, IReadOnlyList<ExcludedVideo> Excluded);

/// <summary>Discovers an input as <c>toolkit extract</c> does, then probes every video and counts its frames exactly.</summary>
public static class VideoSurvey
{
    /// <summary>
    /// Surveys <paramref name="source"/> (a folder or list file); with <paramref name="probe"/>, also encodes a few frames
    /// of every video as extract would (<see cref="SurveyedVideo.Content"/>), in the same decode that counts its frames.
    /// </summary>
    /// <param name="source">A folder (searched recursively) or a list file.</param>
    /// <param name="settings">The extract settings (level, fps, size) the frames are counted for.</param>
    /// <param name="extensions">Extensions to take, or null for any file.</param>
    /// <param name="parallelism">Videos surveyed at once.</param>
    /// <param name="cancellationToken">Stops the survey.</param>
    /// <param name="probe">Encodes a few frames of every video as extract would, if given.</param>
    /// <param name="decoder">In process (libav) or ffmpeg processes.</param>
    /// <param name="progress">Counts the videos surveyed, if given.</param>
    /// <exception cref="Toolkit.Core.ToolkitError">The source does not exist, cannot be listed, or holds no video.</exception>
    public static async Task<Survey> RunAsync(string source, ExtractSettings settings, IReadOnlyCollection<string>? extensions, int parallelism,
        CancellationToken cancellationToken, ContentProbe? probe = null, VideoDecoderKind decoder = VideoDecoderKind.Libav, SurveyProgress? progress = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var found = await SourceDiscovery.DiscoverAsync(source, settings.Level, extensions, exclude: null, cancellationToken).ConfigureAwait(false);
        var excluded = found.Problems.Select(p => new ExcludedVideo(p.Path, p.Reason)).ToList();
        if (found.Videos.Count == 0)
        {
            string why = excluded.Count == 0 ? "no video found (extensions looked for: " + (extensions is null ? "any" : string.Join(", ", extensions)) + ")"
                                             : $"no usable video: {excluded.Count} problem(s), first: {excluded[0].Path}: {excluded[0].Reason}";
            throw new Toolkit.Core.ToolkitError(source, why, "Point it at a folder of videos (searched recursively) or a list file; --ext any takes every file");
        }
        var results = new (SurveyedVideo? Video, ExcludedVideo? Problem)[found.Videos.Count];
        progress?.SetTotal(found.Videos.Count);
        await Parallel.ForEachAsync(Enumerable.Range(0, found.Videos.Count),
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism), CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                results[i] = await SurveyOneAsync(found.Videos[i], settings, probe, decoder, ct).ConfigureAwait(false);
                progress?.Surveyed1(results[i].Problem is not null);
            }).ConfigureAwait(false);
        var videos = results.Where(r => r.Video is not null).Select(r => r.Video!).ToList();
        excluded.AddRange(results.Where(r => r.Problem is not null).Select(r => r.Problem!));
        if (videos.Count == 0)
            throw new Toolkit.Core.ToolkitError(source, $"none of its {found.Videos.Count} video(s) can be extracted; first: {excluded[0].Path}: {excluded[0].Reason}", "Fix or remove the broken files");
        return new Survey(videos, excluded);
    }

    private static async Task<(SurveyedVideo?, ExcludedVideo?)> SurveyOneAsync(VideoSource video, ExtractSettings settings, ContentProbe? content,
        VideoDecoderKind decoder, CancellationToken cancellationToken)
    {
        var probe = await VideoProbe.ProbeAsync(video.Path, cancellationToken, decoder).ConfigureAwait(false);
        if (probe.Info is not { } info)
            return (null, new ExcludedVideo(video.Path, probe.Failure ?? "not a readable video"));
        var target = settings.TargetSize(info.Width, info.Height);
        var count = await FrameCounter.CountAsync(video.Path, settings.Fps, content, target, ExpectedFrames(info, settings.Fps), cancellationToken, decoder).ConfigureAwait(false);
        if (count.Error is not null)
            return (null, new ExcludedVideo(video.Path, count.Frames == 0 && FrameDecoder.TooLowFrameRate(info, settings.Fps) is { } why ? why : count.Error));
        if (content is not null && count.Content is { } sample && TooFewPairs(sample, content, settings, count.Frames))
        {
            // The container promised more frames than decode (tree.avi declares 444, 68 decode): the pairs were spread
            // over a longer video and few fell inside. Probe again over the frames that are really there.
            var again = await FrameCounter.CountAsync(video.Path, settings.Fps, content, target, count.Frames, cancellationToken, decoder).ConfigureAwait(false);
            if (again.Error is null && again.Content is not null)
                count = count with { Content = again.Content };
        }
        if (settings.WritesFlow && count.Frames < 2)
            return (null, new ExcludedVideo(video.Path, $"only {count.Frames} frame decodable: optical flow needs at least 2 frames"));
        // A symbolic link (as in samples/videos) counts as the file it points to.
        var file = new FileInfo(video.Path);
        long bytes = file.LinkTarget is null ? file.Length : (file.ResolveLinkTarget(returnFinalTarget: true) as FileInfo)?.Length ?? file.Length;
        return (new SurveyedVideo(video, bytes, info, count.Frames, target, count.Content), null);
    }

    /// <summary>Whether the probe took fewer pairs than it would have with the video's real length.</summary>
    internal static bool TooFewPairs(ContentSample sample, ContentProbe probe, ExtractSettings settings, int frames)
    {
        int possible = Math.Min(probe.Pairs, frames / 2);
        int taken = settings.WritesFlow ? sample.FlowPairs : sample.RgbImages / 2;
        return taken < possible;
    }

    /// <summary>Frames a video should yield, from what the container says (0 when it says nothing usable); only spreads the content probe.</summary>
    internal static double ExpectedFrames(VideoInfo info, double? fps)
    {
        double seconds = info.Duration.TotalSeconds;
        if (fps is { } f)
            return seconds * f;
        if (info.DeclaredFrames is { } declared && declared > 0)
            return seconds > 0 && info.FrameRate > 0 ? Math.Min(declared, seconds * info.FrameRate) : declared;
        return seconds * info.FrameRate;
    }
}
