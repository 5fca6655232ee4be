using System.Diagnostics;
using System.Globalization;
using FFMpegCore;
using FFMpegCore.Exceptions;
using Toolkit.Ingest.Decoding;

namespace Toolkit.Ingest.Probing;

/// <summary>What ffprobe says about a video before decoding it.</summary>
/// <param name="Width">Displayed width (after rotation metadata).</param>
/// <param name="Height">Displayed height (after rotation metadata).</param>
/// <param name="FrameRate">Average frame rate, or 0 when the container does not state one.</param>
/// <param name="Duration">Container or stream duration.</param>
/// <param name="DeclaredFrames">Frame count the container declares (nb_frames), or null when it declares none.</param>
/// <param name="Codec">Video codec name.</param>
/// <param name="Rotation">Rotation metadata in degrees.</param>
public sealed record VideoInfo(int Width, int Height, double FrameRate, TimeSpan Duration, long? DeclaredFrames, string Codec, int Rotation);

/// <summary>The outcome of probing one file: its <see cref="VideoInfo"/>, or why it is not a usable video.</summary>
public sealed record ProbeResult(VideoInfo? Info, string? Failure)
{
    /// <summary>True when the file can be decoded.</summary>
    public bool Ok => Info is not null;
}

/// <summary>
/// Probes videos, in process through libav (<see cref="VideoDecoderKind.Libav"/>, the default) or with ffprobe through
/// FFMpegCore, and turns every kind of bad input into a clear reason.
/// </summary>
public static class VideoProbe
{
    /// <summary>Probes <paramref name="path"/>. Never throws for a bad file; only cancellation escapes.</summary>
    /// <param name="path">The video.</param>
    /// <param name="cancellationToken">Cancels an ffprobe run.</param>
    /// <param name="decoder">Libav in process (ffprobe when the library cannot be loaded), or ffprobe.</param>
    public static async Task<ProbeResult> ProbeAsync(string path, CancellationToken cancellationToken, VideoDecoderKind decoder = VideoDecoderKind.Libav)
    {
        FileInfo file = new(path);
        try
        {
            if (!file.Exists)
                return Fail("file not found (deleted or moved since the run started)");
            if (file.Length == 0)
                return Fail("empty file (0 bytes); re-download or remove it");
            using (File.OpenRead(path))
            {
                // Opening it here turns a permission problem into a clear reason instead of an ffprobe message.
            }
        }
        catch (UnauthorizedAccessException)
        {
            return Fail("permission denied reading the file; give the user read rights on it");
        }
        catch (IOException e)
        {
            return Fail($"cannot read the file: {e.Message}");
        }

        if (decoder == VideoDecoderKind.Libav && LibavVideo.Unavailable is null)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (opened, failure) = LibavVideo.Open(path, threads: 1);
            using (opened)
                return opened is null ? Fail(failure!) : new ProbeResult(opened.Info, null);
        }

        IMediaAnalysis analysis;
        try
        {
            var (exitCode, json, errors) = await RunFFProbeAsync(path, cancellationToken).ConfigureAwait(false);
            if (exitCode != 0)
                return Fail($"not a readable video file (ffprobe: {LastMeaningfulLine(errors)})");
            analysis = FFProbe.FromJson(json);
        }
        catch (OperationCanceledException)
        {
            throw;
        }
        catch (Exception e) when (e is FFMpegException or FormatException or System.Text.Json.JsonException or InvalidOperationException or ArgumentException)
        {
            string detail = LastMeaningfulLine(e.Message);
            return Fail($"not a readable video file (ffprobe: {detail})");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new Toolkit.Core.ToolkitError("ffprobe", $"could not be started ({e.Message})", "Install ffmpeg (apt-get install ffmpeg) and make sure ffprobe is on PATH", e);
        }

        var video = analysis.VideoStreams.FirstOrDefault(v => v.Disposition is null || !v.Disposition.TryGetValue("attached_pic", out bool pic) || !pic);
        if (video is null)
        {
            return analysis.AudioStreams.Count > 0
                ? Fail($"no video stream (audio only: {analysis.AudioStreams.Count} audio stream(s)); remove it from the input or restrict --ext")
                : Fail("no video stream in the file; remove it from the input or restrict --ext");
        }
        if (video.Width is not > 0 || video.Height is not > 0)
            return Fail($"the video stream ({video.CodecName}) has no frame size; the file header is damaged");

        int rotation = ((video.Rotation % 360) + 360) % 360;
        bool swap = rotation is 90 or 270;
        int width = swap ? video.Height.Value : video.Width.Value;
        int height = swap ? video.Width.Value : video.Height.Value;
        double fps = double.IsFinite(video.AverageFrameRate) && video.AverageFrameRate > 0 ? video.AverageFrameRate
                   : double.IsFinite(video.RealFrameRate) && video.RealFrameRate > 0 ? video.RealFrameRate : 0;
        TimeSpan duration = video.Duration > TimeSpan.Zero ? video.Duration : analysis.Duration;
        long? declared = DeclaredFrames(analysis, video.Index);
        return new ProbeResult(new VideoInfo(width, height, fps, duration, declared, video.CodecName ?? "unknown", rotation), null);
    }

    /// <summary>
    /// Runs ffprobe with the arguments FFMpegCore's own analysis uses, but passed as a list: FFMpegCore joins them into one
    /// string with the path in double quotes, so a file name containing a double quote reached ffprobe mangled.
    /// </summary>
    private static async Task<(int ExitCode, string Json, string Errors)> RunFFProbeAsync(string path, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(GlobalFFOptions.GetFFProbeBinaryPath())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in (string[])["-loglevel", "error", "-print_format", "json", "-show_format", "-sexagesimal", "-show_streams", "-show_chapters", path])
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        using var stop = cancellationToken.Register(() =>
        {
            try
            {
                process.Kill();
            }
            catch (InvalidOperationException)
            {
                // Already exited.
            }
        });
        var json = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var errors = process.StandardError.ReadToEndAsync(CancellationToken.None);
        await Task.WhenAll(json, errors).ConfigureAwait(false);
        await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        return (process.ExitCode, await json.ConfigureAwait(false), await errors.ConfigureAwait(false));
    }

    private static long? DeclaredFrames(IMediaAnalysis analysis, int streamIndex)
    {
        var raw = analysis.Raw?.Streams?.FirstOrDefault(s => s.Index == streamIndex);
        if (raw?.ExtensionData is { } extra && extra.TryGetValue("nb_frames", out var value))
        {
            string? text = value.ValueKind == System.Text.Json.JsonValueKind.String ? value.GetString() : value.ToString();
            if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long n) && n > 0)
                return n;
        }
        return null;
    }

    private static ProbeResult Fail(string reason) => new(null, reason);

    internal static string LastMeaningfulLine(string text)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length == 0 ? "no details" : lines[^1];
    }
}
