using OpenCvSharp;
using Toolkit.Augment;
using Toolkit.Augment.Geometry;
using Toolkit.Augment.Pipeline;
using Toolkit.Core;
using Toolkit.Ingest.Imaging;
using Toolkit.Loaders.Datasets;
using Toolkit.Loaders.Pipeline;
using Toolkit.Loaders.Tests.Support;

namespace Toolkit.Loaders.Tests.Datasets;

/// <summary>
/// Cropped JPEG decoding (libtoolkit_jpeg, issue 22): a region's pixels are the whole-frame decode's, bit for bit, and
/// the loader's batches are the same with it on and off, through every fallback.
/// </summary>
[Trait("Category", "Integration")]
public sealed class CroppedDecodingTests
{
    private const string Samples = "/usr/share/doc/opencv-doc/examples/data";

    /// <summary>opencv-doc's photographs as their authors encoded them (4:2:0, 4:4:4, grey, progressive or not), and re-encoded at 340 x 256 as toolkit extract writes rawframes.</summary>
    private static List<byte[]> Photographs()
    {
        var files = Directory.GetFiles(Samples, "*.jpg").Order(StringComparer.Ordinal).Take(10).ToList();
        Assert.True(files.Count >= 8, $"opencv-doc's sample JPEGs are missing from {Samples} (apt-get install opencv-doc)");
        var result = new List<byte[]>();
        foreach (string file in files)
        {
            result.Add(File.ReadAllBytes(file));
            using var image = Cv2.ImRead(file, ImreadModes.Color);
            using var sized = image.Resize(new Size(340, 256), interpolation: InterpolationFlags.Area);
            result.Add(sized.ImEncode(".jpg", [(int)ImwriteFlags.JpegQuality, 95]));
        }
        return result;
    }

    [Fact]
    public void Regions_HaveTheWholeDecodesPixels_AtFullAndHalfScale_InColourAndGray()
    {
        Assert.Null(JpegDecoder.RegionsUnavailable);
        var rng = new Random(22);
        int checkedRegions = 0;
        foreach (byte[] jpeg in Photographs())
        {
            Assert.True(JpegDecoder.TryReadSize(jpeg, DecodeScale.Full, out var full));
            var scales = new List<int> { 0 };
            if (Math.Min(full.Width, full.Height) % 2 == 0)
                scales.Add(Math.Min(full.Width, full.Height) / 2); // half scale
            foreach (int shortSide in scales)
            {
                foreach (bool gray in new[] { false, true })
                {
                    Assert.True(JpegDecoder.TryReadSize(jpeg, new DecodeScale(shortSide), out var size));
                    Assert.Equal(shortSide == 0 ? 8 : 4, size.Eighths);
                    Assert.True(JpegDecoder.TryDecode(jpeg, gray, shortSide, out var whole, out string? why), why);
                    using (whole)
                    {
                        Assert.Equal((size.Width, size.Height), (whole!.Width, whole.Height));
                        for (int k = 0; k < 60; k++)
                        {
                            // Random boxes, a third of them touching an edge of the frame.
                            int w = rng.Next(1, size.Width + 1), h = rng.Next(1, size.Height + 1);
                            int x = k % 3 == 0 ? size.Width - w : rng.Next(0, size.Width - w + 1);
                            int y = k % 3 == 1 ? 0 : rng.Next(0, size.Height - h + 1);
                            var box = new Rect(x, y, w, h);
                            Assert.True(JpegDecoder.TryDecodeRegion(jpeg, gray, size, box, out var region, out string? problem), problem);
                            using (region)
                            using (var expected = new Mat(whole, box))
                            using (var diff = new Mat())
                            {
                                Assert.Equal(box.Size, region!.Size());
                                Assert.Equal(whole.Type(), region.Type());
                                Cv2.Absdiff(region, expected, diff);
                                Assert.True(Cv2.CountNonZero(diff.Reshape(1)) == 0, $"{size.Width}x{size.Height} ({size.Eighths}/8), gray {gray}, box {box}: pixels differ from the whole decode");
                            }
                            checkedRegions++;
                        }
                    }
                }
            }
        }
        Assert.True(checkedRegions >= 2000, $"only {checkedRegions} regions checked");
    }

    /// <summary><paramref name="good"/> with 40 bytes of entropy-coded data flipped in its middle third, at a place where libjpeg warns (TurboJPEG refuses it).</summary>
    private static byte[] Damaged(byte[] good)
    {
        for (int start = good.Length / 3; start < 2 * good.Length / 3; start += 97)
        {
            byte[] candidate = [.. good.Select((b, i) => i > start && i < start + 40 && b != 0xFF ? (byte)(b ^ 0x55) : b)];
            bool decoded = JpegDecoder.TryDecode(candidate, false, out var image, out _);
            image?.Dispose();
            if (!decoded)
                return candidate;
        }
        throw new InvalidOperationException("no damage libjpeg warns about was found");
    }

    [Fact]
    [Trait("Category", "Failure")]
    public void CorruptData_AndAnotherSize_AreRefusedWithAReason_AndTheDecoderStaysUsable()
    {
        byte[] good = Photographs()[1];
        Assert.True(JpegDecoder.TryReadSize(good, DecodeScale.Full, out var size));
        // Entropy-coded data damaged where libjpeg warns about it: the region is not decoded either (the caller decodes
        // such a frame whole).
        byte[] flipped = Damaged(good);
        byte[] garbage = [0xFF, 0xD8, .. Enumerable.Range(0, 500).Select(i => (byte)(i * 7)), 0xFF, 0xD9];
        var box = new Rect(10, 10, size.Width - 20, size.Height - 20);
        Parallel.For(0, 48, i =>
        {
            switch (i % 4)
            {
                case 0:
                    Assert.False(JpegDecoder.TryDecodeRegion(garbage, false, size, box, out var none, out string? why));
                    Assert.Null(none);
                    Assert.False(string.IsNullOrWhiteSpace(why));
                    break;
                case 1:
                    Assert.False(JpegDecoder.TryDecodeRegion(flipped, false, size, box, out none, out why));
                    Assert.False(string.IsNullOrWhiteSpace(why));
                    break;
                case 2:
                    Assert.False(JpegDecoder.TryDecodeRegion(good, false, size with { Width = size.Width + 2 }, box, out none, out why));
                    Assert.Equal($"is {size.Width}x{size.Height} at this scale, not {size.Width + 2}x{size.Height}", why);
                    break;
                default:
                    Assert.True(JpegDecoder.TryDecodeRegion(good, i % 8 == 3, size, box, out var region, out why), $"after a failed stream: {why}");
                    region!.Dispose();
                    break;
            }
        });
        Assert.Throws<ArgumentOutOfRangeException>(() => JpegDecoder.TryDecodeRegion(good, false, size, new Rect(1, 0, size.Width, 1), out _, out _));
    }

    /// <summary>A dataset that counts its region reads, so that the tests know the cropped path ran.</summary>
    private sealed class Counting(RawframeDataset inner) : IVideoDataset, IRegionReads
    {
        public int Regions;

        public int Count => inner.Count;

        public ClipKind Kind => inner.Kind;

        public int StartIndex => inner.StartIndex;

        public DatasetItem this[int index] => inner[index];

        public int FrameCount(int index) => inner.FrameCount(index);

        public Clip Read(int index, IReadOnlyList<int> frames) => inner.Read(index, frames);

        public Clip Read(int index, IReadOnlyList<int> frames, DecodeScale scale) => inner.Read(index, frames, scale);

        public DecodedSize? RegionSize(int index, int frame, DecodeScale scale) => inner.RegionSize(index, frame, scale);

        public Clip ReadRegion(int index, IReadOnlyList<int> frames, DecodedSize size, PixelBox box)
        {
            Interlocked.Increment(ref Regions);
            return inner.ReadRegion(index, frames, size, box);
        }
    }

    /// <summary>Three 340 x 256 rawframe folders of real photographs (8 frames each).</summary>
    private static List<DatasetItem> Folders(string root)
    {
        var photos = Photographs().Where((_, i) => i % 2 == 1).ToList();
        var items = new List<DatasetItem>();
        for (int v = 0; v < 3; v++)
        {
            string dir = Path.Combine(root, $"v{v}");
            Directory.CreateDirectory(dir);
            for (int f = 0; f < 8; f++)
                File.WriteAllBytes(Path.Combine(dir, $"img_{f + 1:D5}.jpg"), photos[(v * 3 + f) % photos.Count]);
            items.Add(new DatasetItem(dir, 8, [v], v + 1));
        }
        return items;
    }

    private static async Task<(List<byte[]> Batches, List<string> Skipped)> Epochs(IVideoDataset dataset, string recipe, int crop, bool cropped,
        CorruptPolicy policy = CorruptPolicy.Fail, bool covering = false)
    {
        var batches = new List<byte[]>();
        var skipped = new List<string>();
        await using var loader = new ClipLoader(dataset, new LoaderOptions
        {
            Shapes = new FixedShapes(2, 4, crop),
            Recipe = s => recipe switch
            {
                "rrc-flip" => ClipPipeline.Build(x => x.Resize(-1, 256).RandomResizedCrop().Resize(s, s).Flip(0.5), recipe),
                "flow-train" => ClipPipeline.Build(x => x.MultiScaleCrop().Resize(s, s).Flip(0.5), recipe), // TSN's flow recipe
                _ => Recipes.ForCrop(recipe, s),
            },
            Format = BatchFormat.Byte,
            CroppedDecoding = cropped,
            CoveringScaleDecoding = covering,
            OnCorrupt = policy,
            Workers = 2,
            Seed = 7,
        });
        for (int epoch = 0; epoch < 3; epoch++)
        {
            await foreach (var b in loader.EpochAsync(epoch))
            {
                using (b)
                {
                    batches.Add(b.Inputs.data<byte>().ToArray());
                    skipped.AddRange(b.Skipped.Select(s => s.ToString()));
                }
            }
        }
        return (batches, skipped);
    }

    [Theory]
    [InlineData("rrc", 224)]       // Resize(-1, 256) keeps 340 x 256: the RandomResizedCrop box is decoded alone
    [InlineData("rrc-flip", 224)]  // the same, a flip after it
    [InlineData("rrc", 112)]       // half-scale decoding (Resize(-1, 128)), then the box at that scale
    [InlineData("center", 224)]    // CenterCrop
    [InlineData("rescale", 224)]   // RandomRescale changes the size first: whole frames
    [InlineData("rrc", 79)]        // Resize(-1, 90) changes the size first: whole frames
    public async Task LoaderBatches_AreTheSame_WithAndWithoutCroppedDecoding(string recipe, int crop)
    {
        using var tmp = new TempDirectory("toolkit-loaders-");
        var items = Folders(tmp.Path);
        var on = new Counting(new RawframeDataset(items));
        var (a, _) = await Epochs(on, recipe, crop, cropped: true);
        var off = new Counting(new RawframeDataset(items));
        var (b, _) = await Epochs(off, recipe, crop, cropped: false);
        Assert.Equal(0, off.Regions);
        bool leadingCrop = recipe is "rrc" or "rrc-flip" or "center" && crop != 79;
        if (leadingCrop)
            Assert.True(on.Regions == a.Count * 2, $"{recipe}@{crop}: {on.Regions} region reads for {a.Count} batches of 2");
        else
            Assert.Equal(0, on.Regions);
        Assert.Equal(b.Count, a.Count);
        for (int i = 0; i < a.Count; i++)
            Assert.True(a[i].AsSpan().SequenceEqual(b[i]), $"{recipe}@{crop}: batch {i} differs with cropped decoding");
    }

    /// <summary>
    /// Covering scales: rrc at 56 first resizes to short side 64, a quarter of 256, so the frames are decoded at 1/4 and
    /// the crop cut from that; at 79 (short side 90) at 1/2, whole. Cropped or not, the same batches; and not those of
    /// the exact-half default (which decodes these at full size), so the option is in force.
    /// </summary>
    [Theory]
    [InlineData(56, true)]
    [InlineData(79, false)]
    public async Task CoveringScales_WithAndWithoutCroppedDecoding_GiveTheSameBatches(int crop, bool leadingCrop)
    {
        using var tmp = new TempDirectory("toolkit-loaders-");
        var items = Folders(tmp.Path);
        var on = new Counting(new RawframeDataset(items));
        var (a, _) = await Epochs(on, "rrc", crop, cropped: true, covering: true);
        var (b, _) = await Epochs(new RawframeDataset(items), "rrc", crop, cropped: false, covering: true);
        var (exact, _) = await Epochs(new RawframeDataset(items), "rrc", crop, cropped: true, covering: false);
        Assert.Equal(leadingCrop ? a.Count * 2 : 0, on.Regions);
        Assert.Equal(b.Count, a.Count);
        for (int i = 0; i < a.Count; i++)
            Assert.True(a[i].AsSpan().SequenceEqual(b[i]), $"crop {crop}: batch {i} differs with cropped decoding");
        Assert.False(a[0].AsSpan().SequenceEqual(exact[0]), $"crop {crop}: covering decoding gave the exact-half path's batch");
    }

    /// <summary>Flow rawframes (flow_x and flow_y, gray) through TSN's flow recipe: MultiScaleCrop first, then resize and flip.</summary>
    [Fact]
    public async Task FlowBatches_AreTheSame_WithAndWithoutCroppedDecoding()
    {
        using var tmp = new TempDirectory("toolkit-loaders-");
        var photos = Photographs().Where((_, i) => i % 2 == 1).ToList();
        var items = new List<DatasetItem>();
        for (int v = 0; v < 3; v++)
        {
            string dir = Path.Combine(tmp.Path, $"v{v}");
            Directory.CreateDirectory(dir);
            for (int f = 0; f < 8; f++)
            {
                foreach (char axis in "xy")
                {
                    using var gray = Cv2.ImDecode(photos[(v * 3 + f + (axis == 'y' ? 1 : 0)) % photos.Count], ImreadModes.Grayscale);
                    File.WriteAllBytes(Path.Combine(dir, $"flow_{axis}_{f + 1:D5}.jpg"), gray.ImEncode(".jpg", [(int)ImwriteFlags.JpegQuality, 95]));
                }
            }
            items.Add(new DatasetItem(dir, 8, [v], v + 1));
        }
        var options = new RawframeOptions { Kind = ClipKind.Flow };
        var on = new Counting(new RawframeDataset(items, options));
        var (a, _) = await Epochs(on, "flow-train", 112, cropped: true);
        var (b, _) = await Epochs(new RawframeDataset(items, options), "flow-train", 112, cropped: false);
        Assert.Equal(a.Count * 2, on.Regions);
        Assert.Equal(b.Count, a.Count);
        for (int i = 0; i < a.Count; i++)
            Assert.True(a[i].AsSpan().SequenceEqual(b[i]), $"flow batch {i} differs with cropped decoding");
    }

    [Theory]
    [InlineData("flipped")]   // libjpeg warns: the frame is decoded whole by OpenCV and cut, as the whole path does
    [InlineData("truncated")] // no end-of-image marker: the sample is replayed whole and reported as before
    [InlineData("missing")]
    [Trait("Category", "Failure")]
    public async Task BadFrames_GiveTheSameBatchesAndReports_WithAndWithoutCroppedDecoding(string how)
    {
        using var tmp = new TempDirectory("toolkit-loaders-");
        var items = Folders(tmp.Path);
        string bad = Path.Combine(items[1].Path, "img_00003.jpg");
        byte[] bytes = File.ReadAllBytes(bad);
        if (how == "missing")
            File.Delete(bad);
        else
            File.WriteAllBytes(bad, how == "truncated" ? bytes[..(bytes.Length / 2)] : Damaged(bytes));
        var (a, skippedA) = await Epochs(new RawframeDataset(items), "rrc", 224, cropped: true, CorruptPolicy.SkipAndReport);
        var (b, skippedB) = await Epochs(new RawframeDataset(items), "rrc", 224, cropped: false, CorruptPolicy.SkipAndReport);
        Assert.Equal(skippedB, skippedA);
        if (how != "flipped")
            Assert.Contains(skippedA, s => s.Contains(bad, StringComparison.Ordinal));
        Assert.Equal(b.Count, a.Count);
        for (int i = 0; i < a.Count; i++)
            Assert.True(a[i].AsSpan().SequenceEqual(b[i]), $"{how}: batch {i} differs with cropped decoding");
        // Failing runs fail with the same message.
        var errorA = await Record.ExceptionAsync(() => Epochs(new RawframeDataset(items), "rrc", 224, cropped: true));
        var errorB = await Record.ExceptionAsync(() => Epochs(new RawframeDataset(items), "rrc", 224, cropped: false));
        Assert.Equal(errorB?.Message, errorA?.Message);
        if (how != "flipped")
            Assert.IsType<ToolkitError>(errorA);
    }

    [Fact]
    public void RegionReads_AreJpegOnly()
    {
        using var tmp = new TempDirectory("toolkit-loaders-");
        var items = Folders(tmp.Path);
        Assert.NotNull(new RawframeDataset(items).RegionSize(0, 1, DecodeScale.Full));
        Assert.Null(new RawframeDataset(items, new RawframeOptions { Decoding = FrameDecoding.OpenCv }).RegionSize(0, 1, DecodeScale.Full));
        Assert.Null(new RawframeDataset(items, new RawframeOptions { Kind = ClipKind.Flow }).RegionSize(0, 1, DecodeScale.Full)); // no flow_x files here
        Assert.Null(new RawframeDataset(items).RegionSize(0, 99, DecodeScale.Full)); // a missing file: the whole read reports it
        string png = Path.Combine(items[0].Path, "img_00001.jpg");
        using (var m = Cv2.ImDecode(File.ReadAllBytes(png), ImreadModes.Color))
            File.WriteAllBytes(png, m.ImEncode(".png"));
        Assert.Null(new RawframeDataset(items).RegionSize(0, 1, DecodeScale.Full));
    }
}
