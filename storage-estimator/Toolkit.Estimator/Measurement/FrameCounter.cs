using System.Diagnostics;
using System.Globalization;
using FFMpegCore;
using Toolkit.Core;

namespace Toolkit.Estimator.Measurement;

/// <summary>How counting one video's frames ended.</summary>
/// <param name="Frames">Frames the extract decoder would deliver.</param>
/// <param name="Error">Why the video cannot be extracted, or null.</param>
public sealed record FrameCount(int Frames, string? Error);

/// <summary>
/// Counts the frames <c>toolkit extract</c> writes for a video, by decoding it the way the extract decoder does
/// (same filter order, <c>-fps_mode passthrough</c> unless resampling, raw video to a pipe) but scaled to 16×16 gray,
/// so nothing but the count is computed. Like the extractor, a decoder that exits with an error fails the video.
/// </summary>
public static class FrameCounter
{
    private const int Side = 16;

    /// <summary>Counts <paramref name="path"/>'s frames, resampled to <paramref name="fps"/> when given. Never throws for a bad file.</summary>
    public static async Task<FrameCount> CountAsync(string path, double? fps, CancellationToken cancellationToken)
    {
        string scale = $"scale={Side}:{Side}";
        string filters = fps is { } f ? $"fps={f.ToString("R", CultureInfo.InvariantCulture)},{scale}" : scale;
        var start = new ProcessStartInfo(GlobalFFOptions.GetFFMpegBinaryPath())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in (string[])["-nostdin", "-nostats", "-loglevel", "error", "-i", path, "-map", "0:v:0", "-an", "-sn", "-dn", "-vf", filters])
            start.ArgumentList.Add(arg);
        if (fps is null)
        {
            start.ArgumentList.Add("-fps_mode");
            start.ArgumentList.Add("passthrough");
        }
        foreach (string arg in (string[])["-f", "rawvideo", "-pix_fmt", "gray", "pipe:1"])
            start.ArgumentList.Add(arg);
        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new ToolkitError("ffmpeg", $"could not be started ({e.Message})", "Install ffmpeg (apt-get install ffmpeg) and make sure it is on PATH", e);
        }
        using var stop = cancellationToken.Register(() =>
        {
            try
            {
                process.Kill();
            }
            catch (InvalidOperationException)
            {
                // exited already
            }
        });
        var errors = process.StandardError.ReadToEndAsync(CancellationToken.None);
        long bytes = 0;
        byte[] buffer = new byte[1 << 16];
        var output = process.StandardOutput.BaseStream;
        int read;
        while ((read = await output.ReadAsync(buffer, CancellationToken.None).ConfigureAwait(false)) > 0)
            bytes += read;
        await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        int frames = (int)(bytes / (Side * Side));
        string stderr = (await errors.ConfigureAwait(false)).Trim();
        string detail = stderr.Length == 0 ? $"ffmpeg exited with code {process.ExitCode}" : stderr.Split('\n')[0].Trim();
        if (frames == 0)
            return new FrameCount(0, $"no frame could be decoded ({(process.ExitCode == 0 ? "the video stream is empty" : detail)})");
        if (process.ExitCode != 0)
            return new FrameCount(frames, $"decoding failed after {frames} frame(s): {detail}");
        return new FrameCount(frames, null);
    }
}
