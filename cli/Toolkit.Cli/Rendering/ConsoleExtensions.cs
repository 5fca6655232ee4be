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

    /// <summary>Writes a warning line to standard error: something works, but not the way the user asked.</summary>
    public static void Warning(this IAnsiConsole console, string message)
    {
        if (ReferenceEquals(console, AnsiConsole.Console))
            Console.Error.WriteLine($"toolkit: warning: {message}");
        else
            console.MarkupLine($"[yellow]warning:[/] {Markup.Escape(message)}");
    }

    /// <summary>
    /// Says so when the in-process decoder was asked for but cannot be loaded: the run goes on with ffmpeg processes
    /// (the same bytes, slower), and the line says what to install.
    /// </summary>
    public static void WarnIfNoLibav(this IAnsiConsole console, Toolkit.Ingest.Decoding.VideoDecoderKind decoder)
    {
        if (decoder == Toolkit.Ingest.Decoding.VideoDecoderKind.Libav && Toolkit.Ingest.Decoding.LibavVideo.Unavailable is { } why)
            console.Warning($"decoding with ffmpeg processes instead of in process: {why}");
    }

    /// <summary>True when the console can redraw a live progress bar.</summary>
    public static bool IsLive(this IAnsiConsole console) =>
        console.Profile.Capabilities.Interactive && console.Profile.Capabilities.Ansi && !Console.IsOutputRedirected
        && Environment.GetEnvironmentVariable("CI") is null;
}
