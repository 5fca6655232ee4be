using System.CommandLine;
using Spectre.Console;
using Toolkit.Cli;
using Toolkit.Cli.Commands;

var console = AnsiConsole.Console;
if (Console.IsOutputRedirected)
    console.Profile.Width = 4096; // logs and pipes get whole lines, never wrapped at 80 columns
var root = new RootCommand("toolkit: prepare video datasets for deep learning (rawframes, optical flow, lists) and train on them (trainer plugins).")
{
    ExtractCommand.Create(console),
    ListsCommand.Create(console),
    EstimateCommand.Create(console),
    PreviewCommand.Create(console),
    ScheduleCommand.Create(console),
    BenchCommand.Create(console),
    TrainCommand.Create(console),
    PluginsCommand.Create(console),
    ModelsCommand.Create(console),
    WeightsCommand.Create(console),
    DoctorCommand.Create(console),
};
var parse = root.Parse(args);
if (parse.Errors.Count > 0 && parse.Action is not System.CommandLine.Help.HelpAction)
{
    foreach (var error in parse.Errors)
        Console.Error.WriteLine($"toolkit: {error.Message}");
    Console.Error.WriteLine("Run 'toolkit --help' or 'toolkit COMMAND --help' for usage.");
    return ExitCodes.CouldNotRun;
}
return await parse.InvokeAsync(new InvocationConfiguration()).ConfigureAwait(false);
