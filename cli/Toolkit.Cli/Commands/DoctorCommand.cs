using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;
using Toolkit.Cli.Rendering;
using Toolkit.Ingest.Flow;
using Toolkit.Trainers.Abstractions;
using Toolkit.Trainers.Hosting;
using TorchSharp;

namespace Toolkit.Cli.Commands;

/// <summary><c>toolkit doctor</c>: what the toolkit found on this machine, and what to do about what is missing.</summary>
public static class DoctorCommand
{
    /// <summary>One check.</summary>
    /// <param name="Name">What was checked.</param>
    /// <param name="Status">ok, warn (works, with less) or fail (a command will not run).</param>
    /// <param name="Found">What was found.</param>
    /// <param name="Fix">What to do (empty when ok).</param>
    internal sealed record Check(string Name, string Status, string Found, string Fix);

    /// <summary>Builds the command.</summary>
    public static Command Create(IAnsiConsole console)
    {
        var folder = PluginsCommand.FolderOption();
        var json = new Option<bool>("--json") { Description = "Print the checks as JSON." };
        var command = new Command("doctor", "Check TorchSharp and libtorch, CUDA devices, ffmpeg, OpenCV and the flow shim, fonts and the trainer plugins; say how to fix what is missing.")
        {
            folder, json,
        };
        command.SetAction(parse =>
        {
            var checks = Run(PluginCatalog.ResolveFolder(parse.GetValue(folder)));
            if (parse.GetValue(json))
            {
                var array = new JsonArray([.. checks.Select(c => (JsonNode)new JsonObject { ["name"] = c.Name, ["status"] = c.Status, ["found"] = c.Found, ["fix"] = c.Fix })]);
                console.Profile.Out.Writer.WriteLine(array.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            }
            else
            {
                var table = new Table().AddColumns("check", "status", "found", "fix");
                foreach (var c in checks)
                {
                    string status = c.Status switch { "ok" => "[green]ok[/]", "warn" => "[yellow]warn[/]", _ => "[red]fail[/]" };
                    table.AddRow(Markup.Escape(c.Name), status, Markup.Escape(c.Found), Markup.Escape(c.Fix));
                }
                console.Write(table);
            }
            return checks.Any(c => c.Status == "fail") ? ExitCodes.CompletedWithFailures : ExitCodes.Ok;
        });
        return command;
    }

    internal static IReadOnlyList<Check> Run(string pluginsFolder)
    {
        var checks = new List<Check>();
        checks.Add(Guard("TorchSharp", () =>
        {
            var version = typeof(torch).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? typeof(torch).Assembly.GetName().Version?.ToString() ?? "?";
            return new Check("TorchSharp", "ok", $"TorchSharp {version.Split('+')[0]}", "");
        }));
        checks.Add(Guard("libtorch", () =>
        {
            using var x = torch.ones(2, 2);
            double sum = (x + x).sum().item<float>();
            string native = LibTorchVersion() ?? "version unknown";
            return sum == 8
                ? new Check("libtorch", "ok", $"libtorch {native} loaded ({(torch.cuda.is_available() ? "CUDA build" : "CPU build")}), a tensor op ran", "")
                : new Check("libtorch", "fail", $"a tensor op gave {sum}, not 8", "reinstall: ./setup.sh");
        }, "run ./setup.sh (it builds with libtorch-cpu-linux-x64 and marks GLIBCXX_3.4.32 weak on Debian 12, docs/torchsharp.md)"));
        checks.Add(Guard("CUDA", () =>
        {
            if (!torch.cuda.is_available())
                return new Check("CUDA", "warn", "no CUDA device (CPU training only)", "on an NVIDIA machine build with -p:TorchCuda=true (libtorch-cuda-12.8-linux-x64, docs/torchsharp.md), or run the device kit against an installed CUDA PyTorch (docs/gpu.md)");
            return new Check("CUDA", "ok", $"{torch.cuda.device_count()} CUDA device(s)", "");
        }));
        checks.Add(Toolkit.Ingest.Decoding.LibavVideo.Unavailable is { } noDecoder
            ? new Check("video decoder (libav)", "warn", $"{noDecoder}; extract and estimate fall back to ffmpeg processes", "apt-get install libavformat-dev libavcodec-dev libswscale-dev libavutil-dev gcc pkg-config and run ./setup.sh")
            : new Check("video decoder (libav)", "ok", $"toolkit_video over {Toolkit.Ingest.Decoding.LibavVideo.Version} (in-process probe and decode)", ""));
        checks.Add(Toolkit.Ingest.Imaging.JpegDecoder.Unavailable is { } noTurbo
            ? new Check("JPEG (libjpeg-turbo)", "fail", noTurbo, "apt-get install libturbojpeg0 and run ./setup.sh")
            : Toolkit.Ingest.Imaging.JpegDecoder.RegionsUnavailable is { } noRegions
                ? new Check("JPEG (libjpeg-turbo)", "warn", $"TurboJPEG ok; cropped decoding off in the loaders: {noRegions}", "apt-get install libjpeg62-turbo-dev and run ./setup.sh")
                : new Check("JPEG (libjpeg-turbo)", "ok", "TurboJPEG, and toolkit_jpeg for cropped decoding in the loaders", ""));
        checks.Add(Tool("ffmpeg", "ffmpeg", "-version", "apt-get install ffmpeg"));
        checks.Add(Tool("ffprobe", "ffprobe", "-version", "apt-get install ffmpeg"));
        checks.Add(Guard("OpenCV (OpenCvSharp)", () => new Check("OpenCV (OpenCvSharp)", "ok", $"OpenCV {OpenCvSharp.Cv2.GetVersionString()} (JPEG, Farneback)", ""),
            File.Exists(Path.Combine(AppContext.BaseDirectory, "libOpenCvSharpExtern.so"))
                ? "apt-get install libgtk-3-0 (the OpenCvSharp native library needs it)"
                : "libOpenCvSharpExtern.so is not in this build (the device kit leaves it out: extract, flow and preview need a full build, ./setup.sh)"));
        checks.Add(Guard("OpenCV flow shim", FlowShim, "apt-get install libopencv-dev libopencv-contrib-dev g++ and run ./setup.sh (it builds the shim)"));
        checks.Add(File.Exists("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
            ? new Check("chart fonts", "ok", "DejaVu Sans", "")
            : new Check("chart fonts", "warn", "DejaVu Sans missing: charts have no text", "apt-get install fonts-dejavu-core"));
        checks.Add(Guard("trainer plugins", () =>
        {
            using var catalog = PluginCatalog.Load(pluginsFolder);
            string found = catalog.Plugins.Count == 0 ? $"none in {catalog.Folder}" : $"{string.Join(", ", catalog.Plugins.Select(p => $"{p.Name} {p.Descriptor.Version}"))} in {catalog.Folder} (contract {TrainerContract.Version})";
            if (catalog.Problems.Count > 0)
                return new Check("trainer plugins", catalog.Plugins.Count == 0 ? "fail" : "warn", found + "; " + string.Join("; ", catalog.Problems.Select(p => $"{p.Path}: {p.Reason}")), string.Join("; ", catalog.Problems.Select(p => p.Fix).Distinct()));
            return catalog.Plugins.Count == 0
                ? new Check("trainer plugins", "fail", found, "rebuild: ./toolkit publishes the built-in trainer into plugins/")
                : new Check("trainer plugins", "ok", found, "");
        }));
        return checks;
    }

    private static string? LibTorchVersion() => torch.__version__;

    private static Check Tool(string name, string exe, string args, string fix)
    {
        try
        {
            using var p = Process.Start(new ProcessStartInfo(exe, args) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false })!;
            string first = p.StandardOutput.ReadLine() ?? "";
            p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            return p.ExitCode == 0 ? new Check(name, "ok", first, "") : new Check(name, "fail", $"{exe} exited with {p.ExitCode}", fix);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return new Check(name, "fail", $"{exe} not on PATH", fix);
        }
    }

    /// <summary>DIS from libtoolkit_flow.so, and TV-L1, whose factory the shim opens from libtoolkit_tvl1.so on first use.</summary>
    private static Check FlowShim()
    {
        const string name = "OpenCV flow shim";
        string version = NativeFlow.OpenCvVersion();
        NativeFlow.CreateDis(Toolkit.Ingest.DisPreset.Fast).Dispose();
        try
        {
            NativeFlow.CreateTvL1().Dispose();
        }
        catch (Toolkit.Core.ToolkitError e)
        {
            return new Check(name, "warn", $"DIS ok over OpenCV {version}; TV-L1 unavailable: {e.Reason}", "apt-get install libopencv-contrib-dev and run ./setup.sh");
        }
        return new Check(name, "ok", $"toolkit_flow over OpenCV {version} (DIS; TV-L1 through toolkit_tvl1)", "");
    }

    private static Check Guard(string name, Func<Check> check, string fix = "")
    {
        try
        {
            return check();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return new Check(name, "fail", $"{e.GetType().Name}: {e.Message}".Trim(), fix.Length > 0 ? fix : "see docs/torchsharp.md and docs/train.md");
        }
    }
}
