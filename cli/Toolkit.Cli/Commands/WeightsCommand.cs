using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Spectre.Console;
using Toolkit.Cli.Rendering;
using Toolkit.Trainers.Models;
using Toolkit.Trainers.Weights;

namespace Toolkit.Cli.Commands;

/// <summary><c>toolkit weights import|export</c>: pretrained weights in from the model zoos, out to PyTorch (docs/weights.md).</summary>
public static class WeightsCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(IAnsiConsole console) => new("weights", "Pretrained weights: import mmaction2 / pytorchvideo / SlowFast / timm / torchvision checkpoints, export to PyTorch.")
    {
        Import(console),
        Export(console),
    };

    private static Command Import(IAnsiConsole console)
    {
        var file = new Argument<string>("FILE") { Description = "PyTorch file (torch.save), safetensors file, or toolkit weights folder." };
        var model = ModelOption(required: true);
        var from = new Option<string>("--from") { Description = "Source layout: auto, mmaction2, pytorchvideo, slowfast, timm, torchvision, toolkit.", DefaultValueFactory = _ => "auto" };
        var output = new Option<string?>("--out") { Description = "Folder to write (model.safetensors + weights.json); required unless --check alone." };
        var (classes, width, depth, stride) = ShapeOptions();
        var inflate = new Option<string>("--inflate") { Description = "torchvision: mean (mmaction2's pretrained2d) or centre.", DefaultValueFactory = _ => "mean" };
        var check = new Option<string?>("--check") { Description = "Parity file torch.save({'input': x, 'output': y}) made with the source model: fail unless the import reproduces y." };
        var tolerance = new Option<double>("--tolerance") { Description = "Largest relative max difference --check accepts.", DefaultValueFactory = _ => ParityCheck.DefaultTolerance };
        var force = new Option<bool>("--force") { Description = "Replace a non-empty --out." };
        var command = new Command("import", "Map a checkpoint onto one of our architectures; prints mapped / missing / unexpected / shape-mismatched keys. Exit 0 ok, 1 --check failed, 2 could not import (nothing written).")
        {
            file, model, from, output, classes, width, depth, stride, inflate, check, tolerance, force,
        };
        command.SetAction(parse =>
        {
            string path = parse.GetValue(file)!;
            string? outDir = parse.GetValue(output);
            string? checkFile = parse.GetValue(check);
            if (outDir is null && checkFile is null)
            {
                console.Error("weights import: give --out DIR to write the weights, or --check FILE to only verify them");
                return ExitCodes.CouldNotRun;
            }
            if (WeightSources.Parse(parse.GetValue(from)!) is not { } source)
            {
                console.Error($"weights import: --from '{parse.GetValue(from)}' is not one of auto, mmaction2, pytorchvideo, slowfast, timm, torchvision, toolkit");
                return ExitCodes.CouldNotRun;
            }
            if (parse.GetValue(inflate) is not ("mean" or "centre" or "center"))
            {
                console.Error($"weights import: --inflate '{parse.GetValue(inflate)}' is not mean or centre");
                return ExitCodes.CouldNotRun;
            }
            if (SpecOf(console, parse.GetValue(model)!, parse.GetValue(classes) ?? 0, parse.GetValue(width), parse.GetValue(depth), parse.GetValue(stride)) is not { } spec)
                return ExitCodes.CouldNotRun;
            var clock = Stopwatch.StartNew();
            try
            {
                using var weights = WeightImport.Run(path, new WeightImportOptions(spec)
                {
                    Source = source,
                    Inflation = parse.GetValue(inflate) == "mean" ? Inflation.Mean : Inflation.Centre,
                });
                foreach (var line in weights.Report.Lines())
                    console.Profile.Out.Writer.WriteLine(line);
                if (!weights.Report.Complete)
                {
                    console.Error($"weights import: {path}: does not map completely onto {weights.Model} (see the keys above); nothing was written. Check --model, --from, --width and --depth.");
                    return ExitCodes.CouldNotRun;
                }
                if (checkFile is not null)
                {
                    using var net = weights.Model.Create();
                    weights.LoadInto(net);
                    var result = ParityCheck.Run(net, checkFile, parse.GetValue(tolerance));
                    console.Profile.Out.Writer.WriteLine(result.ToString());
                    if (!result.Passed)
                    {
                        console.Error($"weights import: {checkFile}: the imported model does not reproduce the reference output (max rel diff {result.MaxRel.ToString("G3", CultureInfo.InvariantCulture)} > {result.Tolerance.ToString("G3", CultureInfo.InvariantCulture)}); nothing was written");
                        return ExitCodes.CompletedWithFailures;
                    }
                }
                if (outDir is not null)
                {
                    ToolkitFolder.Save(outDir, weights.State, new WeightsManifest { Model = weights.Model, ImportedFrom = Path.GetFullPath(path), Source = WeightSources.Name(weights.Report.Source) }, parse.GetValue(force));
                    console.Profile.Out.Writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"wrote {Path.GetFullPath(outDir)} ({weights.State.Count} tensors) in {clock.Elapsed.TotalSeconds:F2} s"));
                }
                return ExitCodes.Ok;
            }
            catch (WeightsException e)
            {
                console.Error($"weights import: {e.Message}");
                return ExitCodes.CouldNotRun;
            }
        });
        return command;
    }

    private static Command Export(IAnsiConsole console)
    {
        var input = new Argument<string>("CHECKPOINT") { Description = "toolkit weights folder, training checkpoint folder (epoch_NNNN) or work directory (its latest checkpoint)." };
        var to = new Option<string>("--to") { Description = "pytorch (torch.load) or safetensors.", DefaultValueFactory = _ => "pytorch" };
        var layout = new Option<string>("--layout") { Description = "Key layout: reference (mmaction2 for the CNNs, timm for DeiT, slowfast for MViT), mmaction2, timm, slowfast, or ours.", DefaultValueFactory = _ => "reference" };
        var output = new Option<string?>("--out") { Description = "File to write (default: ARCH-LAYOUT.pth or .safetensors in the current folder)." };
        var model = ModelOption(required: false);
        var (classes, width, depth, stride) = ShapeOptions();
        var force = new Option<bool>("--force") { Description = "Replace an existing --out." };
        var command = new Command("export", "Write toolkit weights as a PyTorch or safetensors file, in the reference implementation's key layout or ours. Exit 0 ok, 2 could not export.")
        {
            input, to, layout, output, model, classes, width, depth, stride, force,
        };
        command.SetAction(parse =>
        {
            string path = parse.GetValue(input)!;
            var format = parse.GetValue(to) switch { "pytorch" => ExportFormat.PyTorch, "safetensors" => ExportFormat.Safetensors, _ => (ExportFormat?)null };
            if (format is null)
            {
                console.Error($"weights export: --to '{parse.GetValue(to)}' is not pytorch or safetensors");
                return ExitCodes.CouldNotRun;
            }
            string layoutName = parse.GetValue(layout)!;
            WeightSource? target = layoutName switch
            {
                "reference" => WeightSource.Auto,
                "ours" => WeightSource.Toolkit,
                "mmaction2" or "timm" or "slowfast" or "pytorchvideo" => WeightSources.Parse(layoutName),
                _ => null,
            };
            if (target is null)
            {
                console.Error($"weights export: --layout '{layoutName}' is not reference, mmaction2, timm, slowfast or ours");
                return ExitCodes.CouldNotRun;
            }
            ModelSpec? spec = null;
            if (parse.GetValue(model) is { } m)
            {
                spec = SpecOf(console, m, parse.GetValue(classes) ?? 0, parse.GetValue(width), parse.GetValue(depth), parse.GetValue(stride));
                if (spec is null)
                    return ExitCodes.CouldNotRun;
                if (spec.Classes <= 0)
                {
                    console.Error("weights export: --model needs --classes too (the checkpoint does not record its model)");
                    return ExitCodes.CouldNotRun;
                }
            }
            try
            {
                var stored = spec ?? WeightExport.StoredModel(path);
                var resolved = target == WeightSource.Auto ? WeightExport.ReferenceLayout(stored.Architecture) : target.Value;
                string ext = format == ExportFormat.PyTorch ? "pth" : "safetensors";
                string outFile = parse.GetValue(output) ?? $"{stored.Architecture}-{(resolved == WeightSource.Toolkit ? "ours" : WeightSources.Name(resolved))}.{ext}";
                var result = WeightExport.Run(path, outFile, format.Value, target.Value, spec, parse.GetValue(force));
                console.Profile.Out.Writer.WriteLine($"wrote {result.Path}: {result.Tensors} tensors of {result.Model}, {result.Layout} layout, container {result.Container}");
                return ExitCodes.Ok;
            }
            catch (WeightsException e)
            {
                console.Error($"weights export: {e.Message}");
                return ExitCodes.CouldNotRun;
            }
        });
        return command;
    }

    private static Option<string> ModelOption(bool required) => new("--model")
    {
        Description = $"Architecture: {string.Join(", ", ModelZoo.All.Select(e => e.Name))}.",
        Required = required,
    };

    private static (Option<int?> Classes, Option<double> Width, Option<double> Depth, Option<int?> Stride) ShapeOptions() => (
        new Option<int?>("--classes") { Description = "Classes of the head (default: from the file's classifier)." },
        new Option<double>("--width") { Description = "Channel multiplier the weights were trained at.", DefaultValueFactory = _ => 1.0 },
        new Option<double>("--depth") { Description = "Depth multiplier the weights were trained at.", DefaultValueFactory = _ => 1.0 },
        new Option<int?>("--stem-temporal-stride") { Description = "i3d-r50 only: 1 builds pytorchvideo's i3d_r50 (stem and max pool temporal stride 1); default 2 (mmaction2)." });

    private static ModelSpec? SpecOf(IAnsiConsole console, string model, int classes, double width, double depth, int? stemStride)
    {
        var entry = ModelZoo.All.FirstOrDefault(e => string.Equals(e.Name, model, StringComparison.OrdinalIgnoreCase));
        if (entry is null)
        {
            console.Error($"weights: --model '{model}' is unknown (known: {string.Join(", ", ModelZoo.All.Select(e => e.Name))})");
            return null;
        }
        if (stemStride is not null && entry.Name != "i3d-r50")
        {
            console.Error($"weights: --stem-temporal-stride is an option of i3d-r50 only, not of {entry.Name}");
            return null;
        }
        var spec = new ModelSpec(entry.Name, classes) { Width = width, Depth = depth, StemTemporalStride = stemStride };
        if (classes < 0)
        {
            console.Error($"weights: --classes is {classes}; use 1 or more");
            return null;
        }
        try
        {
            // Classes 0 means "from the file": check the other options with a stand-in count.
            (spec with { Classes = Math.Max(1, classes) }).ToOptions().Validated();
        }
        catch (ArgumentOutOfRangeException e)
        {
            // The library names its parameter (StemTemporalStride); the user typed the option (--stem-temporal-stride).
            string option = "--" + System.Text.RegularExpressions.Regex.Replace(e.ParamName ?? "", "(?<=[a-z])([A-Z])", "-$1").ToLowerInvariant();
            console.Error($"weights: {option}: {e.Message.Replace($" (Parameter '{e.ParamName}')", "", StringComparison.Ordinal).Split(Environment.NewLine)[0]}");
            return null;
        }
        return spec;
    }
}
