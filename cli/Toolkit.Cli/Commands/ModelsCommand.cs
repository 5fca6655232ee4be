using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;
using Toolkit.Cli.Rendering;
using Toolkit.Trainers.Hosting;

namespace Toolkit.Cli.Commands;

/// <summary><c>toolkit models</c>: the architectures a trainer plugin builds, with parameters and FLOPs (fvcore's rules).</summary>
public static class ModelsCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(IAnsiConsole console)
    {
        var folder = PluginsCommand.FolderOption();
        var plugin = new Option<string>("--plugin") { Description = "Trainer plugin to ask.", DefaultValueFactory = _ => "video-classifier" };
        var json = new Option<bool>("--json") { Description = "Print a JSON array: name, input, classes, backbone_params, backbone_gflops, backbone_eval_gflops, params, gflops, eval_gflops, definition." };
        var command = new Command("models", "Architectures of a trainer plugin at their reference input: parameters and GFLOPs (backbone and with head; batch norm in training and eval mode).")
        {
            folder, plugin, json,
        };
        command.SetAction(parse =>
        {
            using var catalog = PluginCatalog.Load(PluginCatalog.ResolveFolder(parse.GetValue(folder)));
            LoadedPlugin loaded;
            try
            {
                loaded = catalog.Get(parse.GetValue(plugin)!);
            }
            catch (PluginNotFoundException e)
            {
                console.Error(e.ForCli());
                return ExitCodes.CouldNotRun;
            }
            IReadOnlyList<Toolkit.Trainers.Abstractions.ModelCard> cards;
            try
            {
                cards = loaded.Instance.DescribeModels(CancellationToken.None)
                    ?? throw new InvalidOperationException("DescribeModels returned null (it must return an empty list when it builds no models)");
                if (cards.Any(c => c is null))
                    throw new InvalidOperationException("DescribeModels returned a list with null entries");
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                console.Error($"trainer plugin '{loaded.Name}' failed to describe its models: {e.GetType().Name}: {e.Message}");
                return ExitCodes.CouldNotRun;
            }
            if (parse.GetValue(json))
            {
                var array = new JsonArray([.. cards.Select(c => (JsonNode)new JsonObject
                {
                    ["name"] = c.Name,
                    ["input"] = c.Input,
                    ["classes"] = c.Classes,
                    ["backbone_params"] = c.BackboneParams,
                    ["backbone_gflops"] = Math.Round(c.BackboneGFlops, 4),
                    ["backbone_eval_gflops"] = Math.Round(c.BackboneEvalGFlops, 4),
                    ["params"] = c.Params,
                    ["gflops"] = Math.Round(c.GFlops, 4),
                    ["eval_gflops"] = Math.Round(c.EvalGFlops, 4),
                    ["definition"] = c.Definition,
                })]);
                console.Profile.Out.Writer.WriteLine(array.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
                return ExitCodes.Ok;
            }
            var table = new Table().AddColumns("model", "input", "backbone params (M)", "backbone GFLOPs (train / eval BN)", "params (M)", "GFLOPs (train / eval BN)", "classes", "definition");
            var inv = CultureInfo.InvariantCulture;
            foreach (var c in cards)
            {
                table.AddRow(c.Name, c.Input, (c.BackboneParams / 1e6).ToString("F2", inv), string.Create(inv, $"{c.BackboneGFlops:F2} / {c.BackboneEvalGFlops:F2}"),
                    (c.Params / 1e6).ToString("F2", inv), string.Create(inv, $"{c.GFlops:F2} / {c.EvalGFlops:F2}"), c.Classes.ToString(inv), Markup.Escape(c.Definition));
            }
            console.Write(table);
            console.WriteLine("FLOPs as fvcore counts them: one multiply-add = one FLOP; batch norm 5 per element in training mode, 2 in eval mode.");
            return ExitCodes.Ok;
        });
        return command;
    }
}
