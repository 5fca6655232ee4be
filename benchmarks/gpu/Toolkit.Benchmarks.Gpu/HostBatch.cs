using static TorchSharp.torch;

namespace Toolkit.Benchmarks.Gpu;

/// <summary>
/// What the batch benchmarks (augment, h2d) share: their options — <c>--device</c>, <c>--batch</c>, <c>--frames</c>,
/// <c>--crop</c>, <c>--seconds</c>, <c>--out</c> — read and checked, and a seeded uint8 batch of N × 3 × T × S × S on
/// the host, as the loader collates it.
/// </summary>
internal sealed class HostBatch : IDisposable
{
    private HostBatch(Args args)
    {
        Device = DeviceChoice.Resolve(args.Text("device", "cpu"));
        Batch = args.Int("batch", 8);
        Frames = args.Int("frames", 16);
        Crop = args.Int("crop", 224);
        Seconds = args.Real("seconds", 1);
        Results = new Results(args.Optional("out"));
        args.CheckAllRead();
        Generator = new Generator(0);
        Tensor = randint(0, 256, [Batch, 3, Frames, Crop, Crop], generator: Generator, dtype: ScalarType.Byte);
    }

    /// <summary>Reads the options (an unknown one is an error) and makes the batch.</summary>
    public static HostBatch From(Args args) => new(args);

    public Device Device { get; }

    public int Batch { get; }

    public int Frames { get; }

    public int Crop { get; }

    public double Seconds { get; }

    public Results Results { get; }

    /// <summary>The seeded generator the batch came from (more random tensors follow from it).</summary>
    public Generator Generator { get; }

    /// <summary>The uint8 batch in host memory.</summary>
    public Tensor Tensor { get; }

    public string Shape => $"{Batch}x3x{Frames}x{Crop}x{Crop}";

    public void Dispose()
    {
        Tensor.Dispose();
        Generator.Dispose();
    }
}
