using Toolkit.Ingest.Tests.Support;

namespace Toolkit.Ingest.Tests.Cli;

public sealed class SharedOptionsTests
{
    private static readonly string[] SettingsOptions =
        ["--task", "--flow", "--dis-preset", "--short-side", "--size", "--no-upscale", "--fps", "--jpeg-quality", "--start-index", "--flow-bound", "--level", "--ext"];

    [Fact]
    public async Task ExtractAndEstimate_ShareEveryExtractSettingsOption_WithTheSameDefaultsAndWords()
    {
        var extract = await ToolkitCli.RunAsync("extract", "--help");
        var estimate = await ToolkitCli.RunAsync("estimate", "--help");

        foreach (string option in SettingsOptions)
        {
            string a = HelpLine(extract.Stdout, option), b = HelpLine(estimate.Stdout, option);
            Assert.False(a.Length == 0, $"extract --help lists no {option}");
            Assert.Equal(a, b);
        }
    }

    private static string HelpLine(string help, string option) =>
        help.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith(option + " ", StringComparison.Ordinal)) is { } line
            ? string.Join(' ', line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            : "";
}
