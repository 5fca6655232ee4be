using System.Diagnostics;
using System.Text.Json;
using OpenCvSharp;
using Toolkit.Augment.IO;
using Toolkit.Augment.Pipeline;
using Toolkit.Augment.Sampling;

namespace Toolkit.Augment.Tests.Cli;

/// <summary><c>toolkit preview</c> run as the real command (the app host built next to the tests).</summary>
[Trait("Category", "Integration")]
public sealed class PreviewCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("augment-preview-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Frames(int count = 8, int width = 340, int height = 256)
    {
        string folder = Path.Combine(_dir, "class", "video");
        Directory.CreateDirectory(folder);
        var rng = new Random(1);
        for (int i = 1; i <= count; i++)
        {
            using var m = new Mat(height, width, MatType.CV_8UC3);
            Cv2.Randu(m, Scalar.All(0), Scalar.All(255));
            Cv2.GaussianBlur(m, m, new OpenCvSharp.Size(0, 0), 3);
            Cv2.Circle(m, new OpenCvSharp.Point(rng.Next(width), rng.Next(height)), 40, Scalar.Red, -1);
            Cv2.ImWrite(Path.Combine(folder, $"img_{i:D5}.jpg"), m);
        }
        return folder;
    }

    [Fact]
    public void RawframeFolder_WritesTheSheetAndTheCropBoxesInOriginalPixels()
    {
        string input = Frames();
        string sheet = Path.Combine(_dir, "out", "sheet.png"), json = Path.Combine(_dir, "out", "params.json");

        var r = ToolkitCli.Run("preview", input, "--recipe", "rrc", "--clips", "3", "--seed", "1", "--out", sheet, "--params", json);

        Assert.True(r.ExitCode == 0, r.ToString());
        using (var image = Cv2.ImRead(sheet))
        {
            Assert.Equal(4 + 3 * (128 + 4), image.Height); // one row per clip
            Assert.True(image.Width > 5 * 128, $"{image.Width} px wide: original + 4 frames per row");
        }
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        var root = doc.RootElement;
        Assert.Equal(340, root.GetProperty("source").GetProperty("width").GetInt32());
        Assert.Equal(256, root.GetProperty("source").GetProperty("height").GetInt32());
        var clips = root.GetProperty("clips").EnumerateArray().ToList();
        Assert.Equal(3, clips.Count);
        // Oracle: the same recipe and per-clip seeds in this process.
        using var source = ClipReader.Read(input, 4);
        for (int i = 0; i < 3; i++)
        {
            using var expected = Recipes.Get("rrc").Run(source, ClipSeed.Rng(1, 0, i));
            var crop = clips[i].GetProperty("crop");
            Assert.Equal(Math.Round(expected.SourceRegion.X, 2), crop.GetProperty("x").GetDouble());
            Assert.Equal(Math.Round(expected.SourceRegion.W, 2), crop.GetProperty("w").GetDouble());
            Assert.Equal(Math.Round(expected.SourceRegion.H, 2), crop.GetProperty("h").GetDouble());
            Assert.False(clips[i].GetProperty("flip").GetBoolean());
            Assert.Equal(JsonValueKind.Null, clips[i].GetProperty("rescale").ValueKind);
            Assert.Equal(3, clips[i].GetProperty("params").GetArrayLength());
        }
        Assert.Contains("wrote " + sheet, r.Stdout);
    }

    [Fact]
    public void SameSeed_SameJson_OtherSeed_OtherCrops()
    {
        string input = Frames(4);
        string P(string n) => Path.Combine(_dir, n);

        Assert.Equal(0, ToolkitCli.Run("preview", input, "--recipe", "rescale", "--clips", "4", "--seed", "7", "--out", P("a.png"), "--params", P("a.json")).ExitCode);
        Assert.Equal(0, ToolkitCli.Run("preview", input, "--recipe", "rescale", "--clips", "4", "--seed", "7", "--out", P("b.png"), "--params", P("b.json")).ExitCode);
        Assert.Equal(0, ToolkitCli.Run("preview", input, "--recipe", "rescale", "--clips", "4", "--seed", "8", "--out", P("c.png"), "--params", P("c.json")).ExitCode);

        Assert.Equal(File.ReadAllText(P("a.json")), File.ReadAllText(P("b.json")));
        Assert.Equal(File.ReadAllBytes(P("a.png")), File.ReadAllBytes(P("b.png")));
        Assert.NotEqual(Crops(P("a.json")), Crops(P("c.json")));
        using var doc = JsonDocument.Parse(File.ReadAllText(P("a.json")));
        Assert.All(doc.RootElement.GetProperty("clips").EnumerateArray(), c => Assert.InRange(c.GetProperty("rescale").GetInt32(), 256, 320));
    }

    [Fact]
    public void CutMix_RecordsOneBoxAndItsLambda_TargetsSumToOne()
    {
        string input = Frames(8);
        string json = Path.Combine(_dir, "mix.json");

        var r = ToolkitCli.Run("preview", input, "--recipe", "rescale", "--mix", "cutmix", "--batch", "4", "--frames", "2", "--seed", "3",
            "--out", Path.Combine(_dir, "mix.png"), "--params", json, "--label-smoothing", "0.1");

        Assert.True(r.ExitCode == 0, r.ToString());
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        var mix = doc.RootElement.GetProperty("mix");
        Assert.Equal("cutmix", mix.GetProperty("kind").GetString());
        var box = mix.GetProperty("box");
        double expected = 1 - box.GetProperty("w").GetInt32() * box.GetProperty("h").GetInt32() / (224.0 * 224);
        var samples = doc.RootElement.GetProperty("samples").EnumerateArray().ToList();
        Assert.Equal(4, samples.Count);
        foreach (var s in samples)
        {
            Assert.Equal(expected, s.GetProperty("lambda").GetDouble(), 9);
            Assert.Equal(1.0, s.GetProperty("target").EnumerateArray().Sum(v => v.GetDouble()), 4);
        }
        Assert.Equal(3, samples[0].GetProperty("partner").GetInt32());
    }

    [Fact]
    public void Video_IsAnInputToo()
    {
        string video = Path.Combine(_dir, "clip.mp4");
        Exec("ffmpeg", "-nostdin", "-v", "error", "-f", "lavfi", "-i", "testsrc2=s=320x240:r=25", "-frames:v", "16", "-pix_fmt", "yuv420p", video);

        var r = ToolkitCli.Run("preview", video, "--recipe", "three224@256", "--clips", "1", "--out", Path.Combine(_dir, "v.png"), "--params", Path.Combine(_dir, "v.json"));

        Assert.True(r.ExitCode == 0, r.ToString());
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir, "v.json")));
        Assert.Equal(3, doc.RootElement.GetProperty("clips")[0].GetProperty("views").GetArrayLength());
    }

    [Fact]
    public void FlowFolder_RecordsFlipsAndRendersTheColourWheel()
    {
        string folder = Path.Combine(_dir, "flow");
        Directory.CreateDirectory(folder);
        for (int i = 1; i <= 4; i++)
        {
            using var x = new Mat(256, 340, MatType.CV_8UC1, Scalar.All(128 + 10 * i)); // moving right
            using var y = new Mat(256, 340, MatType.CV_8UC1, Scalar.All(128));
            Cv2.ImWrite(Path.Combine(folder, $"flow_x_{i:D5}.jpg"), x);
            Cv2.ImWrite(Path.Combine(folder, $"flow_y_{i:D5}.jpg"), y);
        }
        string recipe = Path.Combine(_dir, "flip.json");
        File.WriteAllText(recipe, """{"transforms": [{"type": "RandomCrop", "width": 224, "height": 224}, {"type": "Flip", "probability": 0.5}]}""");
        string json = Path.Combine(_dir, "flow.json");

        var r = ToolkitCli.Run("preview", folder, "--flow", "--recipe", recipe, "--clips", "8", "--seed", "2", "--out", Path.Combine(_dir, "flow.png"), "--params", json);

        Assert.True(r.ExitCode == 0, r.ToString());
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        Assert.Equal("flow", doc.RootElement.GetProperty("source").GetProperty("kind").GetString());
        var flips = doc.RootElement.GetProperty("clips").EnumerateArray().Select(c => c.GetProperty("flip").GetBoolean()).ToList();
        Assert.Contains(true, flips);
        Assert.Contains(false, flips);
        using var sheet = Cv2.ImRead(Path.Combine(_dir, "flow.png"));
        Assert.Equal(4 + 8 * (128 + 4), sheet.Height);
    }

    [Fact]
    [Trait("Category", "Failure")]
    public void MissingInput_ExitsCouldNotRunNamingIt()
    {
        string missing = Path.Combine(_dir, "no such video.mp4");

        var r = ToolkitCli.Run("preview", missing, "--out", Path.Combine(_dir, "x.png"));

        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Contains($"toolkit: error: {missing}: no such video or rawframe folder", r.Stderr);
        Assert.False(File.Exists(Path.Combine(_dir, "x.png")));
    }

    [Fact]
    [Trait("Category", "Failure")]
    public void NotAVideo_IsOurOneLineError_WithoutOpenCvOrFfmpegLogLines()
    {
        string fake = Path.Combine(_dir, "notes.mp4");
        File.WriteAllText(fake, "not a video at all");

        var r = ToolkitCli.Run("preview", fake, "--out", Path.Combine(_dir, "x.png"));

        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Equal($"toolkit: error: {fake}: cannot be decoded (not a video, or a codec OpenCV's FFmpeg backend lacks)", r.Stderr.Trim());
        Assert.False(File.Exists(Path.Combine(_dir, "x.png")));
    }

    [Fact]
    [Trait("Category", "Failure")]
    public void UnknownRecipe_ListsTheKnownOnes()
    {
        var r = ToolkitCli.Run("preview", Frames(2), "--recipe", "rcc", "--out", Path.Combine(_dir, "x.png"));

        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Contains("toolkit: error: rcc: unknown recipe. known recipes: rrc, rescale, resize224, center224@224, center224@256, three224@224, three224@256", r.Stderr);
    }

    [Theory]
    [Trait("Category", "Failure")]
    [InlineData("--clips", "0", "--clips: must be in [1, 256], got 0")]
    [InlineData("--clips", "1000000", "--clips: must be in [1, 256], got 1000000")] // grew to 10 GB before any check
    [InlineData("--frames", "-2", "--frames: must be in [1, 64], got -2")]
    [InlineData("--frames", "100000", "--frames: must be in [1, 64], got 100000")]
    [InlineData("--alpha", "0", "--alpha: must be positive, got 0")]
    [InlineData("--out", "sheet.jpg", "--out: the contact sheet is a PNG file")]
    [InlineData("--mix", "blend", "blend")]
    public void BadOption_ExitsCouldNotRunNamingIt(string option, string value, string expected)
    {
        string[] args = option == "--out"
            ? ["preview", Frames(2), option, value]
            : ["preview", Frames(2), option, value, "--out", Path.Combine(_dir, "x.png")];

        var r = ToolkitCli.Run(args);

        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Contains(expected, r.Stderr);
    }

    [Fact]
    [Trait("Category", "Failure")]
    public void MixWithABatchOfOne_IsRefused()
    {
        var r = ToolkitCli.Run("preview", Frames(2), "--mix", "mixup", "--batch", "1", "--out", Path.Combine(_dir, "x.png"));

        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Contains("--batch: must be in [2, 256] (a clip is mixed with another), got 1", r.Stderr);
    }

    private static List<string> Crops(string json)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        return doc.RootElement.GetProperty("clips").EnumerateArray().Select(c => c.GetProperty("crop").GetRawText()).ToList();
    }

    private static void Exec(string tool, params string[] args)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in args)
            start.ArgumentList.Add(a);
        using var p = Process.Start(start)!;
        string err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"{tool} failed: {err}");
    }
}
