using System.Diagnostics;
using OpenCvSharp;

namespace Toolkit.Loaders.Tests.Support;

/// <summary>Synthetic rawframe datasets whose pixels say which video and frame they are.</summary>
public static class Fixtures
{
    /// <summary>Colour of frame <paramref name="frame"/> of video <paramref name="video"/>: flat (B, G, R) = (20 + 8·video, 4·frame, 200).</summary>
    public static Scalar Colour(int video, int frame) => new(20 + 8 * video % 200, 4 * frame % 256, 200);

    /// <summary>
    /// Writes <paramref name="videos"/> rawframe folders <c>root/class{v%2}/vid{v}</c> with <paramref name="frames"/>
    /// frames each (RGB, and flow pairs with one frame fewer when <paramref name="flow"/>), and the lists
    /// <c>root/train_rawframes.txt</c> (label v % classes) and <c>root/train_rawframes_flow.txt</c>. Returns the list paths.
    /// </summary>
    public static (string Rgb, string Flow) Rawframes(string root, int videos, int frames, int width = 64, int height = 48, int startIndex = 1, bool flow = false, int classes = 3, Func<int, int>? framesOf = null)
    {
        var rgbLines = new List<string>();
        var flowLines = new List<string>();
        for (int v = 0; v < videos; v++)
        {
            string rel = $"class{v % 2}/vid{v}";
            string dir = Path.Combine(root, rel);
            Directory.CreateDirectory(dir);
            int n = framesOf?.Invoke(v) ?? frames;
            for (int f = 0; f < n; f++)
            {
                using var m = new Mat(height, width, MatType.CV_8UC3, Colour(v, f));
                Cv2.ImWrite(Path.Combine(dir, $"img_{f + startIndex:D5}.jpg"), m);
                if (flow && f < n - 1)
                {
                    using var x = new Mat(height, width, MatType.CV_8UC1, new Scalar(100 + f));
                    using var y = new Mat(height, width, MatType.CV_8UC1, new Scalar(50 + v));
                    Cv2.ImWrite(Path.Combine(dir, $"flow_x_{f + startIndex:D5}.jpg"), x);
                    Cv2.ImWrite(Path.Combine(dir, $"flow_y_{f + startIndex:D5}.jpg"), y);
                }
            }
            rgbLines.Add($"{rel} {n} {v % classes}");
            flowLines.Add($"{rel} {n - 1} {v % classes}");
        }
        string rgb = Path.Combine(root, "train_rawframes.txt");
        string fl = Path.Combine(root, "train_rawframes_flow.txt");
        File.WriteAllLines(rgb, rgbLines);
        File.WriteAllLines(fl, flowLines);
        return (rgb, fl);
    }

    /// <summary>A 96×64 testsrc2 video of <paramref name="frames"/> frames at 25 fps made with ffmpeg (key frame every 10).</summary>
    public static string Video(string folder, int frames, string name = "clip.mp4")
    {
        string path = Path.Combine(folder, name);
        var psi = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in new[] { "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=s=96x64:r=25", "-frames:v", frames.ToString(System.Globalization.CultureInfo.InvariantCulture), "-g", "10", "-pix_fmt", "yuv420p", path })
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        string err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
            throw new InvalidOperationException($"ffmpeg failed: {err}");
        return path;
    }
}
