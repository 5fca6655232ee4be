using System.CommandLine;
using Spectre.Console;
using Toolkit.Augment.Pipeline;
using Toolkit.Augment.Tensors.Preview;
using Toolkit.Cli.Rendering;
using Toolkit.Core;

namespace Toolkit.Cli.Commands;

/// <summary><c>toolkit preview INPUT</c>: a contact sheet and the sampled parameters of an augmentation recipe.</summary>
public static class PreviewCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(IAnsiConsole console)
    {
        var input = new Argument<string>("INPUT") { Description = "A video file or a rawframe folder (img_NNNNN.jpg; flow_x_/flow_y_ with --flow)." };
        var recipe = new Option<string>("--recipe") { Description = $"Recipe name ({string.Join(", ", Recipes.Names)}) or a JSON recipe file.", DefaultValueFactory = _ => "rrc" };
        var clips = new Option<int>("--clips") { Description = "Clips to sample, one row each.", DefaultValueFactory = _ => 8 };
        var frames = new Option<int>("--frames") { Description = "Frames per clip (evenly spaced over the input).", DefaultValueFactory = _ => 4 };
        var seed = new Option<int>("--seed") { Description = "Run seed (clip i is augmented with the per-clip seed of (seed, epoch 0, i)).", DefaultValueFactory = _ => 0 };
        var flow = new Option<bool>("--flow") { Description = "Preview flow clips of a rawframe folder instead of RGB." };
        var output = new Option<string>("--out") { Description = "Contact sheet PNG.", DefaultValueFactory = _ => "preview.png" };
        var parameters = new Option<string?>("--params") { Description = "Write the sampled parameters of every clip as JSON to this file." };
        var mix = new Option<string?>("--mix") { Description = "Show a batch transform: mixup or cutmix." }.AcceptOnlyFromAmong("mixup", "cutmix");
        var alpha = new Option<double?>("--alpha") { Description = "Beta(alpha, alpha) of the mix (default: mixup 0.8, cutmix 1.0)." };
        var batch = new Option<int>("--batch") { Description = "Clips in the mixed batch (consecutive segments of INPUT).", DefaultValueFactory = _ => 4 };
        var smoothing = new Option<double>("--label-smoothing") { Description = "Label smoothing of the soft targets in the JSON.", DefaultValueFactory = _ => 0 };
        var cell = new Option<int>("--cell-height") { Description = "Height of each image in the sheet, in pixels.", DefaultValueFactory = _ => 128 };
        var command = new Command("preview", "Render what an augmentation recipe does: a contact sheet (original frame with the crop box, augmented frames) and the sampled parameters as JSON.")
        {
            input, recipe, clips, frames, seed, flow, output, parameters, mix, alpha, batch, smoothing, cell,
        };
        command.SetAction(parse =>
        {
            try
            {
                var result = PreviewRunner.Run(new PreviewOptions
                {
                    Input = parse.GetValue(input)!,
                    Recipe = parse.GetValue(recipe)!,
                    Clips = parse.GetValue(clips),
                    Frames = parse.GetValue(frames),
                    Seed = parse.GetValue(seed),
                    Flow = parse.GetValue(flow),
                    Sheet = parse.GetValue(output)!,
                    Params = parse.GetValue(parameters),
                    Mix = parse.GetValue(mix) switch { "mixup" => PreviewMix.Mixup, "cutmix" => PreviewMix.CutMix, _ => PreviewMix.None },
                    Alpha = parse.GetValue(alpha),
                    Batch = parse.GetValue(batch),
                    LabelSmoothing = parse.GetValue(smoothing),
                    CellHeight = parse.GetValue(cell),
                });
                foreach (string line in result.Summary)
                    console.WriteLine(line);
                console.WriteLine($"wrote {result.Sheet}");
                if (result.Params is not null)
                    console.WriteLine($"wrote {result.Params}");
                return ExitCodes.Ok;
            }
            catch (ToolkitError e)
            {
                console.Error(e.ForCli());
                return ExitCodes.CouldNotRun;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                console.Error($"cannot write the preview: {e.Message}");
                return ExitCodes.CouldNotRun;
            }
        });
        return command;
    }
}
