using Spectre.Console;

namespace Toolkit.Cli.Rendering;

internal static class ConsoleExtensions
{
    /// <summary>Writes an error line to standard error (kept off standard output so it survives redirection of results).</summary>
    public static void Error(this IAnsiConsole console, string message)
    {
        if (ReferenceEquals(console, AnsiConsole.Console))
            Console.Error.WriteLine($"toolkit: error: {message}");
        else
            console.MarkupLine($"[red]error:[/] {Markup.Escape(message)}");
    }

    /// <summary>True when the console can redraw a live progress bar.</summary>
    public static bool IsLive(this IAnsiConsole console) =>
        console.Profile.Capabilities.Interactive && console.Profile.Capabilities.Ansi && !Console.IsOutputRedirected
        && Environment.GetEnvironmentVariable("CI") is null;
}
