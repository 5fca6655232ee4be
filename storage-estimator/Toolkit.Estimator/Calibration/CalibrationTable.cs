using System.Text.Json;
using System.Text.Json.Serialization;
using Toolkit.Ingest;

namespace Toolkit.Estimator.Calibration;

/// <summary>Who and what produced a calibration table.</summary>
/// <param name="Script">The committed script (<c>storage-estimator/calibrate.sh</c>).</param>
/// <param name="Machine">CPU, cores, OS and kernel of the machine it ran on.</param>
/// <param name="Ffmpeg">ffmpeg's version line.</param>
/// <param name="Date">When (UTC).</param>
/// <param name="CalibrationSet">Which videos were extracted.</param>
public sealed record CalibrationOrigin(string Script, string Machine, string Ffmpeg, string Date, string CalibrationSet);

/// <summary>One calibration video of one run, as measured on disk.</summary>
/// <param name="Source">File name.</param>
/// <param name="Width">Output width.</param>
/// <param name="Height">Output height.</param>
/// <param name="Frames">Decoded frames.</param>
/// <param name="RgbImages">img_*.jpg written.</param>
/// <param name="RgbBytes">Their bytes.</param>
/// <param name="FlowImages">flow_x/flow_y images written.</param>
/// <param name="FlowBytes">Their bytes.</param>
public sealed record CalibrationVideo(string Source, int Width, int Height, int Frames, int RgbImages, long RgbBytes, int FlowImages, long FlowBytes);

/// <summary>One <c>./toolkit extract</c> run of the calibration script.</summary>
/// <param name="Name">Run name, e.g. <c>both-dis-s256-q95</c>.</param>
/// <param name="Command">The extract command line.</param>
/// <param name="WallSeconds">Wall time of the command, including process start.</param>
/// <param name="PipelineSeconds">Time reported by the pipeline itself.</param>
/// <param name="Frames">Decoded frames over all videos.</param>
/// <param name="FramesPerSecond">Frames / pipeline seconds.</param>
/// <param name="RgbBytesPerPixel">RGB bytes per output pixel, or null when no RGB was written.</param>
/// <param name="FlowBytesPerPixel">Flow bytes per output pixel of one flow image (x or y), or null.</param>
/// <param name="Videos">Per-video measurements.</param>
public sealed record CalibrationRun(
    string Name, string Command, double WallSeconds, double PipelineSeconds, long Frames, double FramesPerSecond,
    double? RgbBytesPerPixel, double? FlowBytesPerPixel, IReadOnlyList<CalibrationVideo> Videos)
{
    /// <summary>Output pixels decoded per second of pipeline time (frames × width × height / seconds).</summary>
    public double PixelsPerSecond => Videos.Sum(v => (double)v.Frames * v.Width * v.Height) / PipelineSeconds;
}

/// <summary>
/// Bytes per pixel of RGB and flow JPEGs and extraction throughput, measured by <c>storage-estimator/calibrate.sh</c>
/// (real <c>./toolkit extract</c> runs on the bundled sample videos) and embedded in this assembly.
/// </summary>
/// <remarks>
/// Interpolation: bytes per pixel is measured on a grid of short sides {128, 256, 340} × JPEG qualities {75, 90, 95} with
/// DIS flow, and interpolated bilinearly (clamped to the grid's edges outside it). Other flow algorithms scale DIS's flow
/// bytes by their measured ratio at short side 256, quality 95 (smoother fields compress better). Throughput is in output
/// pixels per second, so it scales to other sizes on the assumption that cost is proportional to pixels.
/// </remarks>
public sealed record CalibrationTable(CalibrationOrigin ProducedBy, IReadOnlyList<CalibrationRun> Runs)
{
    /// <summary>The JSON options of the table (snake_case names).</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, NumberHandling = JsonNumberHandling.AllowReadingFromString };

    private static readonly int[] ShortSides = [128, 256, 340];
    private static readonly int[] Qualities = [75, 90, 95];

    /// <summary>The table embedded in this assembly.</summary>
    public static CalibrationTable Embedded { get; } = LoadEmbedded();

    /// <summary>Parses a table.</summary>
    public static CalibrationTable Parse(string json)
    {
        var table = JsonSerializer.Deserialize<CalibrationTable>(json, JsonOptions) ?? throw new InvalidDataException("empty calibration table");
        foreach (int s in ShortSides)
        {
            foreach (int q in Qualities)
                _ = table.Run($"both-dis-s{s}-q{q}");
        }
        return table;
    }

    /// <summary>The run with this name.</summary>
    /// <exception cref="InvalidDataException">The table lacks it.</exception>
    public CalibrationRun Run(string name) =>
        Runs.FirstOrDefault(r => r.Name == name) ?? throw new InvalidDataException($"the calibration table has no run '{name}'; rerun storage-estimator/calibrate.sh");

    /// <summary>RGB bytes per output pixel at this short side and quality.</summary>
    public double RgbBytesPerPixel(int shortSide, int quality) => Interpolate(shortSide, quality, r => r.RgbBytesPerPixel);

    /// <summary>Bytes per output pixel of one flow image (x or y) at this short side, quality and algorithm.</summary>
    public double FlowBytesPerPixel(int shortSide, int quality, FlowAlgorithm algorithm)
    {
        double dis = Interpolate(shortSide, quality, r => r.FlowBytesPerPixel);
        double reference = Run("flow-dis-s256-q95").FlowBytesPerPixel!.Value;
        double own = Run(FlowRunName(algorithm)).FlowBytesPerPixel!.Value;
        return dis * own / reference;
    }

    /// <summary>Output pixels per second for RGB only, flow only with <paramref name="algorithm"/>, or both.</summary>
    public double PixelsPerSecond(ExtractTask task, FlowAlgorithm algorithm)
    {
        double rgb = Run("rgb-s256-q95").PixelsPerSecond;
        double flow = Run(FlowRunName(algorithm)).PixelsPerSecond;
        return task switch
        {
            ExtractTask.Rgb => rgb,
            ExtractTask.Flow => flow,
            _ => 1 / ((1 / rgb) + (1 / flow)),
        };
    }

    /// <summary>The calibration run that timed <paramref name="algorithm"/>.</summary>
    public static string FlowRunName(FlowAlgorithm algorithm) => algorithm switch
    {
        FlowAlgorithm.TvL1 => "flow-tvl1-s256-q95",
        FlowAlgorithm.Farneback => "flow-farneback-s256-q95",
        _ => "flow-dis-s256-q95",
    };

    private double Interpolate(int shortSide, int quality, Func<CalibrationRun, double?> value)
    {
        var (s0, s1, ts) = Bracket(ShortSides, shortSide);
        var (q0, q1, tq) = Bracket(Qualities, quality);
        double At(int s, int q) => value(Run($"both-dis-s{s}-q{q}")) ?? throw new InvalidDataException($"calibration run both-dis-s{s}-q{q} has no value");
        double low = At(s0, q0) + ((At(s0, q1) - At(s0, q0)) * tq);
        double high = At(s1, q0) + ((At(s1, q1) - At(s1, q0)) * tq);
        return low + ((high - low) * ts);
    }

    private static (int Low, int High, double T) Bracket(int[] grid, int value)
    {
        if (value <= grid[0])
            return (grid[0], grid[0], 0);
        for (int i = 1; i < grid.Length; i++)
        {
            if (value <= grid[i])
                return (grid[i - 1], grid[i], (double)(value - grid[i - 1]) / (grid[i] - grid[i - 1]));
        }
        return (grid[^1], grid[^1], 0);
    }

    private static CalibrationTable LoadEmbedded()
    {
        using var stream = typeof(CalibrationTable).Assembly.GetManifestResourceStream("Toolkit.Estimator.calibration.json")
            ?? throw new InvalidDataException("the calibration table is not embedded; rebuild Toolkit.Estimator");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd());
    }
}
