using System.CommandLine;
using Toolkit.Ingest;
using Toolkit.Ingest.Discovery;

namespace Toolkit.Cli.Commands;

/// <summary>
/// The options that make an <see cref="ExtractSettings"/> (what a conversion writes) and the videos it takes
/// (<c>--ext</c>), defined once for <c>toolkit extract</c> and <c>toolkit estimate</c>: one set of names, defaults and
/// descriptions, so a plan is always made for the settings extract would use.
/// </summary>
internal sealed class ExtractSettingsOptions
{
    private readonly Option<string> _task = new Option<string>("--task") { Description = "What to extract: rgb, flow, or both (one decode).", DefaultValueFactory = _ => "rgb" }.AcceptOnlyFromAmong("rgb", "flow", "both");
    private readonly Option<string> _flow = new Option<string>("--flow") { Description = "Optical-flow algorithm: tvl1 (denseflow's default), farneback, dis.", DefaultValueFactory = _ => "tvl1" }.AcceptOnlyFromAmong("tvl1", "farneback", "dis");
    private readonly Option<string> _preset = new Option<string>("--dis-preset") { Description = "DIS preset: ultrafast, fast, medium.", DefaultValueFactory = _ => "fast" }.AcceptOnlyFromAmong("ultrafast", "fast", "medium");
    private readonly Option<int> _shortSide = new("--short-side") { Description = "Resize so the short side has this many pixels, keeping the aspect ratio; 0 keeps the source size.", DefaultValueFactory = _ => 256 };
    private readonly Option<string?> _size = new("--size") { Description = "Resize to exactly WIDTHxHEIGHT (e.g. 340x256) instead of --short-side." };
    private readonly Option<bool> _noUpscale = new("--no-upscale") { Description = "Never enlarge videos smaller than the target (denseflow's behaviour; mmaction2's OpenCV path enlarges)." };
    private readonly Option<double?> _fps = new("--fps") { Description = "Resample to this frame rate first (default: keep every decoded frame)." };
    private readonly Option<int> _quality = new("--jpeg-quality") { Description = "JPEG quality 1..100 for RGB and flow images.", DefaultValueFactory = _ => 95 };
    private readonly Option<int> _startIndex = new("--start-index") { Description = "First file index: 1 = mmaction2 (img_00001.jpg), 0 = denseflow (img_00000.jpg).", DefaultValueFactory = _ => 1 };
    private readonly Option<double> _bound = new("--flow-bound") { Description = "Clip flow to [-B, B] pixels before quantizing to 0..255 (zero motion = 128).", DefaultValueFactory = _ => 20 };
    private readonly Option<int> _level = new("--level") { Description = "1: OUT/<video>/..., 2: OUT/<class>/<video>/... with class = the video's parent folder (as mmaction2).", DefaultValueFactory = _ => 2 };
    private readonly Option<string[]> _ext = new("--ext") { Description = "Video extensions to take (repeatable, e.g. --ext mp4 --ext webm), or 'any' for every file. Default: common video extensions.", AllowMultipleArgumentsPerToken = true };

    /// <summary>Every option, in the order --help lists them.</summary>
    public IEnumerable<Option> All => [_task, _flow, _preset, _shortSide, _size, _noUpscale, _fps, _quality, _startIndex, _bound, _level, _ext];

    /// <summary>The settings the command line asks for, checked.</summary>
    /// <exception cref="Toolkit.Core.ToolkitError">A value out of range, named by its option.</exception>
    public ExtractSettings Settings(ParseResult parse) => new ExtractSettings
    {
        Task = Enum.Parse<ExtractTask>(parse.GetValue(_task)!, ignoreCase: true),
        Flow = parse.GetValue(_flow) switch { "farneback" => FlowAlgorithm.Farneback, "dis" => FlowAlgorithm.Dis, _ => FlowAlgorithm.TvL1 },
        DisPreset = Enum.Parse<DisPreset>(parse.GetValue(_preset)!, ignoreCase: true),
        ShortSide = parse.GetValue(_shortSide),
        Size = parse.GetValue(_size) is { } s ? FrameSize.Parse(s) : null,
        NoUpscale = parse.GetValue(_noUpscale),
        Fps = parse.GetValue(_fps),
        JpegQuality = parse.GetValue(_quality),
        StartIndex = parse.GetValue(_startIndex),
        FlowBound = parse.GetValue(_bound),
        Level = parse.GetValue(_level),
    }.Validate();

    /// <summary>The extensions to take (without dots): the defaults, the ones given, or null for <c>--ext any</c>.</summary>
    public IReadOnlyCollection<string>? Extensions(ParseResult parse)
    {
        string[] given = parse.GetValue(_ext) ?? [];
        return given.Length == 0 ? [.. SourceDiscovery.DefaultExtensions]
            : given.Any(e => e.Equals("any", StringComparison.OrdinalIgnoreCase)) ? null
            : [.. given.Select(e => e.TrimStart('.'))];
    }
}
