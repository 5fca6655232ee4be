using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using Toolkit.Cli.Rendering;
using Toolkit.Core;
using Toolkit.Ingest.Discovery;
using Toolkit.Trainers.Abstractions;
using Toolkit.Trainers.Hosting;
using Toolkit.Trainers.Hosting.Testing;

namespace Toolkit.Cli.Commands;

/// <summary><c>toolkit predict</c>: the top classes of videos, with a trained checkpoint and its config's test views.</summary>
public static class PredictCommand
{
    // One object per line: the summary's naming, not indented.
    private static readonly JsonSerializerOptions JsonLines = new(TestRun.Json) { WriteIndented = false };

    /// <summary>Builds the command.</summary>
    public static Command Create(IAnsiConsole console)
    {
        var checkpoint = new Argument<string>("checkpoint") { Description = "A training work dir (its best checkpoint; see --which), a checkpoint folder, a weights folder, or a .pth / .safetensors file (then --config)." };
        var inputs = new Argument<string[]>("videos") { Description = "Video files, or folders searched for videos (recursively).", Arity = ArgumentArity.OneOrMore };
        var top = new Option<int>("--top") { Description = "Classes to print per video.", DefaultValueFactory = _ => 5 };
        var json = new Option<bool>("--json") { Description = "One JSON object per video on standard output: {\"video\", \"top\": [{\"class\", \"name\", \"score\"}], \"error\"}." };
        var views = new TestCommand.ViewOptions();
        var command = new Command("predict", "Print the most likely classes of videos with a trained checkpoint (decoded as extract decodes, viewed as toolkit test views them).")
        {
            checkpoint, inputs, top, json,
        };
        foreach (var option in views.All)
            command.Options.Add(option);
        command.SetAction(async (parse, ct) =>
        {
            bool asJson = parse.GetValue(json);
            int k = parse.GetValue(top);
            try
            {
                if (k < 1)
                    throw new ToolkitError("--top", $"is {k}", "print 1 or more classes");
                var videos = Videos(parse.GetValue(inputs)!);
                var (target, protocol) = views.Resolve(parse, parse.GetValue(checkpoint)!);
                using var catalog = PluginCatalog.Load(PluginCatalog.ResolveFolder(parse.GetValue(views.Folder)));
                var plugin = views.Load(catalog, parse, target);
                int failed = 0;
                string scoreKind = protocol.Average == ScoreAveraging.Prob ? "probability" : "mean logit";
                await foreach (var p in PredictRun.RunAsync(plugin, target, protocol, videos, k, parse.GetValue(views.Workers), loaded =>
                {
                    if (!asJson)
                        console.WriteLine($"predict: {loaded.Model}; {loaded.Protocol}; on {loaded.Device}");
                }, ct).ConfigureAwait(false))
                {
                    if (p.Error is not null)
                        failed++;
                    if (asJson)
                    {
                        console.Profile.Out.Writer.WriteLine(JsonSerializer.Serialize(p, JsonLines));
                        if (p.Error is not null)
                            console.Error($"{p.Video}: {p.Error}");
                    }
                    else if (p.Error is not null)
                    {
                        console.Error($"{p.Video}: {p.Error}");
                    }
                    else
                    {
                        console.WriteLine($"{p.Video}: {string.Join(", ", p.Top.Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Name} {c.Score:F3}")))}");
                    }
                }
                if (!asJson && videos.Count > 0)
                    console.WriteLine($"predict: {videos.Count - failed} of {videos.Count} videos predicted (scores: {scoreKind}){(failed > 0 ? $", {failed} could not be decoded" : "")}");
                return failed > 0 ? ExitCodes.CompletedWithFailures : ExitCodes.Ok;
            }
            catch (Exception e) when (TestCommand.ExitCodeOf(e) is { } code)
            {
                console.Error(e.ForCli());
                return code;
            }
            catch (OperationCanceledException)
            {
                console.Error("predict: cancelled");
                return ExitCodes.Cancelled;
            }
        });
        return command;
    }

    /// <summary>The files given, and the videos (by extension) under the folders given, in order; a missing path is an error.</summary>
    private static List<string> Videos(IEnumerable<string> inputs)
    {
        var videos = new List<string>();
        var extensions = new HashSet<string>(SourceDiscovery.DefaultExtensions, StringComparer.OrdinalIgnoreCase);
        foreach (string input in inputs)
        {
            if (File.Exists(input))
            {
                videos.Add(input);
            }
            else if (Directory.Exists(input))
            {
                var found = Directory.EnumerateFiles(input, "*", SearchOption.AllDirectories)
                    .Where(f => extensions.Contains(Path.GetExtension(f).TrimStart('.')))
                    .Order(StringComparer.Ordinal).ToList();
                if (found.Count == 0)
                    throw new ToolkitError(input, $"holds no video ({string.Join(", ", SourceDiscovery.DefaultExtensions)})", "pass video files or a folder with videos");
                videos.AddRange(found);
            }
            else
            {
                throw new ToolkitError(input, "no such file or folder");
            }
        }
        return videos;
    }
}
