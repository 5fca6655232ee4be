using System.Text.Json;
using SkiaSharp;
using Toolkit.Loaders.Tests.Support;

namespace Toolkit.Loaders.Tests.Multigrid;

/// <summary><c>toolkit schedule</c> run as the real command (the app host built next to the tests).</summary>
[Trait("Category", "Integration")]
public sealed class ScheduleCommandTests : IDisposable
{
    private static readonly string[] Kinetics =
        ["schedule", "--frames", "32", "--crop", "224", "--batch", "64", "--gpus", "8", "--steps", "0,94,154,196", "--max-epoch", "239", "--gamma", "0.1", "--long-cycle", "--short-cycle"];

    private readonly string _dir = Directory.CreateTempSubdirectory("loaders-schedule-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Json_KineticsExample_IsTheDocumentedObjectAndNothingElse()
    {
        var r = Run([.. Kinetics, "--epoch-factor", "1.5", "--long-factors", "0.25:0.7071067811865476,0.5:0.7071067811865476,0.5:1,1:1",
            "--short-factors", "0.5,0.7071067811865476", "--json"]);

        Assert.True(r.ExitCode == 0, r.ToString());
        using var doc = JsonDocument.Parse(r.Stdout); // the whole of standard output is one JSON object
        var root = doc.RootElement;
        Assert.Equal(358, root.GetProperty("max_epoch").GetInt32());
        Assert.Equal([0, 73, 110, 142, 158, 205, 228, 248, 259, 291, 308, 322, 329, 343], root.GetProperty("steps").EnumerateArray().Select(e => e.GetInt32()));
        var lrs = root.GetProperty("lrs").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.Equal(14, lrs.Length);
        Assert.Equal(8.0, lrs[0]);
        Assert.Equal(4.0, lrs[1]);
        var first = root.GetProperty("schedule")[0];
        Assert.Equal((0, 8, 8, 158, 73), (first.GetProperty("step").GetInt32(), first.GetProperty("batch").GetInt32(), first.GetProperty("frames").GetInt32(),
            first.GetProperty("crop").GetInt32(), first.GetProperty("end_epoch").GetInt32()));
        Assert.Equal(13, root.GetProperty("schedule").GetArrayLength());
    }

    [Fact]
    public void Json_DefaultFactors_SameAsExplicitOnes()
    {
        var explicitFactors = Run([.. Kinetics, "--long-factors", "0.25:0.7071067811865476,0.5:0.7071067811865476,0.5:1,1:1", "--json"]);
        var defaults = Run([.. Kinetics, "--json"]);
        Assert.Equal(explicitFactors.Stdout, defaults.Stdout);
    }

    [Fact]
    public void Png_DrawsFourPanels()
    {
        string png = Path.Combine(_dir, "schedule.png");
        var r = Run([.. Kinetics, "--png", png]);

        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("sub, 8 splits", r.Stdout, StringComparison.Ordinal);
        using var bitmap = SKBitmap.Decode(png);
        Assert.Equal(900, bitmap.Width);
        Assert.Equal(4 * 260, bitmap.Height);
        // Each panel has a drawn (blue) step line.
        for (int panel = 0; panel < 4; panel++)
        {
            int blue = 0;
            for (int y = panel * 260; y < (panel + 1) * 260; y += 2)
            {
                for (int x = 0; x < 900; x += 2)
                {
                    var c = bitmap.GetPixel(x, y);
                    if (c.Blue > 150 && c.Red < 100)
                        blue++;
                }
            }
            Assert.True(blue > 50, $"panel {panel}: {blue} line pixels");
        }
    }

    [Theory]
    [InlineData("--steps", "0,x", "'x' is not a whole number")]
    [InlineData("--steps", "5,10", "must start with 0")]
    [InlineData("--long-factors", "0.5", "is not t:s")]
    [InlineData("--short-factors", "0.5", "1 factor(s) given")]
    [InlineData("--gpus", "3", "--batch: 64 cannot be split evenly over 3 GPU(s)")] // the batch is what does not divide
    [InlineData("--max-epoch", "2000000000", "2000000000 is too large")] // the scaled steps overflowed to negative numbers
    [InlineData("--epoch-factor", "1e9", "× the max epoch 239 is 2.39E+11 epochs, over 100000")]
    [InlineData("--batch", "2147483647", "is too large")]
    public void BadOption_ExitsCouldNotRunNamingIt(string option, string value, string reason)
    {
        var args = Kinetics.ToList();
        int at = args.IndexOf(option);
        if (at >= 0)
            args[at + 1] = value;
        else
            args.AddRange([option, value]);

        var r = Run([.. args, "--json"]);

        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Contains(reason.StartsWith("--", StringComparison.Ordinal) ? reason : $"{option}", r.Stderr, StringComparison.Ordinal);
        Assert.Contains(reason, r.Stderr, StringComparison.Ordinal);
        Assert.Equal("", r.Stdout);
    }

    private static CliResult Run(params string[] args) => ToolkitCli.Run(args);
}
