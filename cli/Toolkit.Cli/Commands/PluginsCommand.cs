using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;
using Toolkit.Cli.Rendering;
using Toolkit.Trainers.Abstractions;
using Toolkit.Trainers.Hosting;

namespace Toolkit.Cli.Commands;

/// <summary><c>toolkit plugins</c>: the trainer plugins the host finds, and what it could not load.</summary>
public static class PluginsCommand
{
    /// <summary>The <c>--plugins DIR</c> option every trainer command takes.</summary>
    internal static Option<string?> FolderOption() => new("--plugins")
    {
        Description = "Plugins folder (default: $TOOLKIT_PLUGINS, else plugins/ beside the toolkit executable).",
    };

    /// <summary>Builds the command.</summary>
    public static Command Create(IAnsiConsole console)
    {
        var folder = FolderOption();
        var json = new Option<bool>("--json") { Description = "Print the plugins (name, version, contract, path, options schema) and problems as JSON." };
        var command = new Command("plugins", "List the trainer plugins found in the plugins folder, with load problems and their fixes.") { folder, json };
        command.SetAction(parse =>
        {
            using var catalog = PluginCatalog.Load(PluginCatalog.ResolveFolder(parse.GetValue(folder)));
            if (parse.GetValue(json))
            {
                var root = new JsonObject
                {
                    ["folder"] = catalog.Folder,
                    ["contract_version"] = TrainerContract.Version,
                    ["plugins"] = new JsonArray([.. catalog.Plugins.Select(p => (JsonNode)new JsonObject
                    {
                        ["name"] = p.Name,
                        ["version"] = p.Descriptor.Version.ToString(),
                        ["contract_version"] = p.Descriptor.ContractVersion,
                        ["description"] = p.Descriptor.Description,
                        ["assembly"] = p.AssemblyPath,
                        ["options_schema"] = JsonNode.Parse(p.Descriptor.OptionsSchema),
                    })]),
                    ["problems"] = new JsonArray([.. catalog.Problems.Select(p => (JsonNode)new JsonObject { ["path"] = p.Path, ["reason"] = p.Reason, ["fix"] = p.Fix })]),
                };
                console.Profile.Out.Writer.WriteLine(root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
                return ExitCode(catalog);
            }
            console.WriteLine($"Plugins folder: {catalog.Folder} (trainer contract {TrainerContract.Version})");
            if (catalog.Plugins.Count > 0)
            {
                var table = new Table().AddColumns("plugin", "version", "contract", "description", "assembly");
                foreach (var p in catalog.Plugins)
                {
                    table.AddRow(Markup.Escape(p.Name), p.Descriptor.Version.ToString(), p.Descriptor.ContractVersion.ToString(System.Globalization.CultureInfo.InvariantCulture),
                        Markup.Escape(p.Descriptor.Description), Markup.Escape(Path.GetRelativePath(catalog.Folder, p.AssemblyPath)));
                }
                console.Write(table);
            }
            else
            {
                console.WriteLine("No plugins loaded.");
            }
            foreach (var problem in catalog.Problems)
                console.Error($"{problem.Path}: {problem.Reason}. Fix: {problem.Fix}.");
            return ExitCode(catalog);
        });
        return command;
    }

    /// <summary>0: every plugin loaded; 1: some loaded, others have problems (listed); 2: none loaded.</summary>
    private static int ExitCode(PluginCatalog catalog) =>
        catalog.Plugins.Count == 0 ? ExitCodes.CouldNotRun
        : catalog.Problems.Count > 0 ? ExitCodes.CompletedWithFailures
        : ExitCodes.Ok;
}
