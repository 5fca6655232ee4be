using System.Runtime.InteropServices;
using OpenCvSharp;

namespace Toolkit.Augment.Tests.Support;

/// <summary>Small synthetic clips whose pixels say where they came from, so crops and flips can be checked exactly.</summary>
public static class Synthetic
{
    /// <summary>
    /// A BGR clip where pixel (x, y) of frame t is (B, G, R) = (x % 256, y % 256, (17·t + x / 256 + 3·(y / 256)) % 256):
    /// every pixel of a frame up to 256×256 is distinct in (B, G), and frames differ in R.
    /// </summary>
    public static Clip Coordinates(int width, int height, int frames = 3)
    {
        var list = new List<Mat>();
        for (int t = 0; t < frames; t++)
        {
            var m = new Mat(height, width, MatType.CV_8UC3);
            var data = new byte[width * height * 3];
            for (int y = 0; y < height; y++)
                for (int x = 0; x < width; x++)
                {
                    int i = (y * width + x) * 3;
                    data[i] = (byte)(x % 256);
                    data[i + 1] = (byte)(y % 256);
                    data[i + 2] = (byte)((17 * t + x / 256 + 3 * (y / 256)) % 256);
                }
            Marshal.Copy(data, 0, m.Data, data.Length);
            list.Add(m);
        }
        return new Clip(list, ClipKind.Rgb);
    }

    /// <summary>A quantized flow clip (CV_8UC2) with x = (3x + 5y + t) % 256 and y = (7x + 2y + 11t) % 256.</summary>
    public static Clip Flow(int width, int height, int frames = 2)
    {
        var list = new List<Mat>();
        for (int t = 0; t < frames; t++)
        {
            var m = new Mat(height, width, MatType.CV_8UC2);
            var data = new byte[width * height * 2];
            for (int y = 0; y < height; y++)
                for (int x = 0; x < width; x++)
                {
                    int i = (y * width + x) * 2;
                    data[i] = (byte)((3 * x + 5 * y + t) % 256);
                    data[i + 1] = (byte)((7 * x + 2 * y + 11 * t) % 256);
                }
            Marshal.Copy(data, 0, m.Data, data.Length);
            list.Add(m);
        }
        return new Clip(list, ClipKind.Flow);
    }

    /// <summary>Random 8-bit noise frames from a seeded RNG.</summary>
    public static Clip Noise(int width, int height, int frames, int seed, ClipKind kind = ClipKind.Rgb)
    {
        var rng = new Random(seed);
        int channels = kind == ClipKind.Rgb ? 3 : 2;
        var list = new List<Mat>();
        for (int t = 0; t < frames; t++)
        {
            var m = new Mat(height, width, MatType.CV_8UC(channels));
            var data = new byte[width * height * channels];
            rng.NextBytes(data);
            Marshal.Copy(data, 0, m.Data, data.Length);
            list.Add(m);
        }
        return new Clip(list, kind);
    }

    /// <summary>A frame of <paramref name="type"/> holding <paramref name="data"/> (row-major, interleaved).</summary>
    public static Mat FromBytes(int height, int width, MatType type, byte[] data)
    {
        var m = new Mat(height, width, type);
        Marshal.Copy(data, 0, m.Data, data.Length);
        return m;
    }

    /// <summary>A float frame of <paramref name="channels"/> channels holding <paramref name="data"/>.</summary>
    public static Mat FromFloats(int height, int width, int channels, float[] data)
    {
        var m = new Mat(height, width, MatType.CV_32FC(channels));
        Marshal.Copy(data, 0, m.Data, data.Length);
        return m;
    }

    /// <summary>The bytes of a frame.</summary>
    public static byte[] Bytes(Mat m)
    {
        using var c = m.IsContinuous() ? m.Clone() : m.Clone();
        var data = new byte[c.Total() * c.ElemSize()];
        System.Runtime.InteropServices.Marshal.Copy(c.Data, data, 0, data.Length);
        return data;
    }

    /// <summary>The float values of a float frame.</summary>
    public static float[] Floats(Mat m)
    {
        using var c = m.Clone();
        var data = new float[c.Total() * c.Channels()];
        System.Runtime.InteropServices.Marshal.Copy(c.Data, data, 0, data.Length);
        return data;
    }

    /// <summary>Byte-exact snapshot of a clip (to prove it was not changed).</summary>
    public static List<byte[]> Snapshot(Clip clip) => clip.Frames.Select(Bytes).ToList();

    /// <summary>Whether two clips have identical frames.</summary>
    public static bool SamePixels(Clip a, Clip b) =>
        a.Frames.Count == b.Frames.Count && a.Frames.Zip(b.Frames).All(p => p.First.Size() == p.Second.Size() && p.First.Type() == p.Second.Type() && Bytes(p.First).AsSpan().SequenceEqual(Bytes(p.Second)));

    /// <summary>The sub-image of <paramref name="m"/> at <paramref name="rect"/>, copied.</summary>
    public static Mat Slice(Mat m, Rect rect)
    {
        using var v = new Mat(m, rect);
        return v.Clone();
    }
}

/// <summary>Bounds for statistical tests: k standard errors, from the sample size.</summary>
public static class Stats
{
    /// <summary>Mean and (unbiased) variance.</summary>
    public static (double Mean, double Variance) MeanVar(IReadOnlyList<double> xs)
    {
        double mean = xs.Average();
        double v = xs.Sum(x => (x - mean) * (x - mean)) / (xs.Count - 1);
        return (mean, v);
    }

    /// <summary>Asserts |observed − expected| ≤ k·sd/√n.</summary>
    public static void MeanWithin(double expected, IReadOnlyList<double> xs, double sd, double k = 4, string what = "mean")
    {
        double mean = xs.Average();
        double bound = k * sd / Math.Sqrt(xs.Count);
        Assert.True(Math.Abs(mean - expected) <= bound, $"{what}: {mean:G6} vs expected {expected:G6} (bound ±{bound:G4}, n = {xs.Count})");
    }

    /// <summary>Asserts a proportion is within k binomial standard errors of p.</summary>
    public static void ProportionWithin(double p, int hits, int n, double k = 4, string what = "proportion")
    {
        double observed = (double)hits / n;
        double bound = k * Math.Sqrt(p * (1 - p) / n) + 1.0 / n;
        Assert.True(Math.Abs(observed - p) <= bound, $"{what}: {observed:G6} vs expected {p:G6} (bound ±{bound:G4}, n = {n})");
    }

    /// <summary>
    /// Asserts a sample variance is near σ² using the standard error of the variance, √((μ4 − σ⁴)/n), with the
    /// distribution's fourth central moment <paramref name="mu4"/>.
    /// </summary>
    public static void VarianceWithin(double variance, double mu4, IReadOnlyList<double> xs, double k = 4, string what = "variance")
    {
        var (_, v) = MeanVar(xs);
        double bound = k * Math.Sqrt((mu4 - variance * variance) / xs.Count);
        Assert.True(Math.Abs(v - variance) <= bound, $"{what}: {v:G6} vs expected {variance:G6} (bound ±{bound:G4}, n = {xs.Count})");
    }
}
