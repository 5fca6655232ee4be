using System.CommandLine;
using Spectre.Console;
using Toolkit.Cli;
using Toolkit.Cli.Commands;

NativeEnvironment.SetDefaults();
// Signals are taken before anything else runs, so an interrupt during start-up (a slow or blocked source) is not lost.
using var interruption = new Interruption();
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
    TestCommand.Create(console),
    PredictCommand.Create(console),
    PluginsCommand.Create(console),
    ModelsCommand.Create(console),
    WeightsCommand.Create(console),
    DoctorCommand.Create(console),
};
var parse = root.Parse(args);
if (parse.Errors.Count > 0 && parse.Action is not System.CommandLine.Help.HelpAction)
{
    foreach (string line in UsageErrors.Describe(parse))
        Console.Error.WriteLine($"toolkit: error: {line}");
    Console.Error.WriteLine("Run 'toolkit --help' or 'toolkit COMMAND --help' for usage.");
    return ExitCodes.CouldNotRun;
}
interruption.Cooperative = parse.CommandResult.Command.Action is System.CommandLine.Invocation.AsynchronousCommandLineAction;
// System.CommandLine's own signal handling is off: Interruption cancels the token every command receives.
try
{
    return await parse.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null, EnableDefaultExceptionHandler = false }, interruption.Token).ConfigureAwait(false);
}
catch (Exception e) when (e is IOException or UnauthorizedAccessException)
{
    // A file-system failure no command turned into its own error (each names its output; this is the safety net):
    // one line with the operating system's reason, never a stack trace.
    Console.Error.WriteLine($"toolkit: error: {e.Message.TrimEnd('.')}. check that the path exists and is writable (a read-only or full file system, or missing rights)");
    return ExitCodes.CouldNotRun;
}
catch (Exception e)
{
    Console.Error.WriteLine($"Unhandled exception: {e}"); // a bug: the stack trace is what a report needs
    return 1;
}
