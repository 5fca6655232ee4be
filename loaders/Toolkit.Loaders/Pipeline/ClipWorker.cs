using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Threading.Channels;
using OpenCvSharp;
using Toolkit.Augment;
using Toolkit.Augment.Pipeline;
using Toolkit.Augment.Sampling;
using Toolkit.Core;
using Toolkit.Ingest.Imaging;
using Toolkit.Loaders.Datasets;
using Toolkit.Loaders.Sampling;

namespace Toolkit.Loaders.Pipeline;

/// <summary>
/// The loader's per-clip work, on each worker task: draw the sample's frames (from its own seeded RNG), decode only
/// those (at a reduced JPEG scale when the recipe allows), augment, and repack to C × T × H × W straight into the batch
/// buffer, normalized or as bytes.
/// </summary>
internal sealed class ClipWorker(IVideoDataset dataset, LoaderOptions options, int channels, float[][] lut)
{
    private readonly IVideoDataset _dataset = dataset;
    private readonly LoaderOptions _options = options;
    private readonly int _channels = channels;
    private readonly float[][] _lut = lut;
    private readonly ConcurrentDictionary<int, ClipPipeline> _recipes = new();

    /// <summary>Takes work items until <paramref name="lifetime"/> ends; one such loop per worker task.</summary>
    public async Task RunAsync(ChannelReader<WorkItem> work, CancellationToken lifetime)
    {
        try
        {
            await foreach (var item in work.ReadAllAsync(lifetime).ConfigureAwait(false))
            {
                var ctx = item.Context;
                if (ctx.Token.IsCancellationRequested)
                    continue; // an epoch that ended early: its leftover items are dropped
                ClipResult result;
                try
                {
                    result = Process(item);
                }
                catch (ToolkitError e) when (_options.OnCorrupt == CorruptPolicy.SkipAndReport)
                {
                    result = new ClipResult(item, e);
                }
                catch (Exception e)
                {
                    ctx.Fail(e);
                    continue;
                }
                try
                {
                    await ctx.Results.Writer.WriteAsync(result, ctx.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (e is OperationCanceledException or ChannelClosedException)
                {
                    // the epoch ended early; its buffers die with it
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Sample, read, augment and repack one sample (runs on a worker).</summary>
    /// <remarks>
    /// Cropped reads: when the recipe's first pixel work is a crop (<see cref="ClipPipeline.LeadingCrop"/>), the frame
    /// size is read from the first frame's header, the recipe's parameters are drawn for it, and only the crop is
    /// decoded; the rest of the recipe runs with those parameters. The draws are the same as the whole-frame path's, and
    /// so are the pixels. Anything unusual on the way (a frame of another size, data libjpeg refuses, a missing file)
    /// replays the sample through the whole-frame path from the same seed, which reports it as before.
    /// </remarks>
    private ClipResult Process(WorkItem item)
    {
        int epoch = item.Context.Epoch;
        bool cropped = _options.CroppedDecoding && _dataset is IRegionReads;
        bool resampled = false;
        while (true)
        {
            var rng = ClipSeed.Rng(_options.Seed, epoch, item.Sample);
            int limit = Math.Max(_options.LongCycleSamplingRate, _options.Shapes.SamplingRateLimit(epoch, _options.FrameInterval));
            int interval = limit > _options.FrameInterval ? rng.NextInclusive(_options.FrameInterval, limit) : _options.FrameInterval;
            var sampler = _options.Sampler?.Invoke(item.Shape.Frames, interval)
                ?? new SampleFrames(new SampleFramesOptions { ClipLength = item.Shape.Frames, FrameInterval = interval, Clips = _options.Clips, TestMode = _options.TestMode });
            var indices = sampler.Sample(_dataset.FrameCount(item.Sample), _dataset.StartIndex, rng);
            var scale = ReducedScale(item.Shape.Crop);
            var recipe = RecipeFor(item.Shape.Crop);
            if (cropped && indices.Clips == 1 && recipe.IsFrameMajor
                && ((IRegionReads)_dataset).RegionSize(item.Sample, indices.Indices[0], scale) is { } size)
            {
                try
                {
                    return AugmentCropped(item, (IRegionReads)_dataset, recipe, indices, size, rng);
                }
                catch (ToolkitError)
                {
                    cropped = false; // replay through the whole-frame path, which says what is wrong if anything is
                    continue;
                }
            }
            Clip clip;
            try
            {
                clip = scale != DecodeScale.Full && _dataset is IReducedScaleReads reduced
                    ? reduced.Read(item.Sample, indices.Indices, scale)
                    : _dataset.Read(item.Sample, indices.Indices);
            }
            catch (StaleFrameCountException) when (!resampled)
            {
                resampled = true;
                continue; // the video held fewer frames than declared: sample again from the real count, same seed
            }
            using (clip)
                return Augment(item, clip, indices, rng);
        }
    }

    /// <summary>The recipe's parameters drawn for a frame of <paramref name="size"/>, then only the first crop decoded (or the whole frame when the recipe does not start with one).</summary>
    private ClipResult AugmentCropped(WorkItem item, IRegionReads regions, ClipPipeline recipe, FrameIndices indices, DecodedSize size, Random rng)
    {
        var info = ClipInfo.Original(size.Width, size.Height, indices.Indices.Length, _dataset.Kind);
        var parameters = recipe.SampleOnly(info, rng);
        Clip clip;
        int first;
        if (ClipPipeline.LeadingCrop(parameters, info) is { } crop)
        {
            clip = regions.ReadRegion(item.Sample, indices.Indices, size, crop.Box);
            first = crop.Next;
        }
        else
        {
            clip = regions.Read(item.Sample, indices.Indices, DecodeScale.Of(size));
            first = 0;
            if (clip.Width != size.Width || clip.Height != size.Height)
            {
                clip.Dispose();
                throw new ToolkitError(_dataset[item.Sample].Path, $"frames decode to {clip.Width}x{clip.Height}, the header said {size.Width}x{size.Height}");
            }
        }
        using (clip)
        using (var augmented = recipe.RunWith(clip, parameters, first))
            return Store(item, recipe, augmented, 1, 0);
    }

    private ClipPipeline RecipeFor(int crop) => _recipes.GetOrAdd(crop, s => _options.Recipe?.Invoke(s) ?? Recipes.ForCrop("rrc", s));

    /// <summary>The short side the recipe of crop <paramref name="crop"/> resizes to first (<c>Resize(-1, N)</c>), when reduced-scale decoding may serve it; else full size.</summary>
    private DecodeScale ReducedScale(int crop)
    {
        if (!_options.ReducedScaleDecoding)
            return DecodeScale.Full;
        return RecipeFor(crop).Transforms.FirstOrDefault() is Toolkit.Augment.Geometry.Resize { Options: var r } && (r.Width == -1) != (r.Height == -1)
            ? new DecodeScale(Math.Max(r.Width, r.Height), _options.CoveringScaleDecoding)
            : DecodeScale.Full;
    }

    private ClipResult Augment(WorkItem item, Clip clip, FrameIndices indices, Random rng)
    {
        var recipe = RecipeFor(item.Shape.Crop);
        int length = indices.ClipLength, entry = 0;
        for (int k = 0; k < indices.Clips; k++)
        {
            using var part = indices.Clips == 1 ? null : new Clip(clip.Frames.Skip(k * length).Take(length).Select(f => f.Clone()), clip.Kind);
            using var augmented = recipe.Run(part ?? clip, rng);
            Store(item, recipe, augmented, indices.Clips, entry);
            entry += augmented.Views;
        }
        return new ClipResult(item, null);
    }

    /// <summary>
    /// Checks an augmented clip (one of the sample's <paramref name="clips"/> clips, its views from
    /// <paramref name="entry"/> on) and repacks its views into the batch buffer.
    /// </summary>
    private ClipResult Store(WorkItem item, ClipPipeline recipe, Clip augmented, int clips, int entry)
    {
        int crop = item.Shape.Crop;
        long per = (long)_channels * augmented.FramesPerView * crop * crop;
        if (augmented.Width != crop || augmented.Height != crop)
            throw new ToolkitError(recipe.Name, $"made {augmented.Width}x{augmented.Height} clips for crop {crop}", "the recipe for crop S must end in S x S frames");
        if (augmented.Type.Depth != MatType.CV_8U)
            throw new ToolkitError(recipe.Name, "made float frames", "leave normalization to the loader (no Normalize in its recipe)");
        int views = clips * augmented.Views;
        var buffer = item.Context.Buffer(item.Batch, views, per, _options.Format);
        if (buffer.Views != views)
            throw new ToolkitError(recipe.Name, $"made {views} views of a sample, other samples of the batch {buffer.Views}");
        for (int v = 0; v < augmented.Views; v++)
            Repack(augmented.Frames, v * augmented.FramesPerView, augmented.FramesPerView, crop, buffer, ((long)item.Slot * views + entry + v) * per);
        return new ClipResult(item, null);
    }

    /// <summary>
    /// HWC BGR (or x, y) frames → planar C × T × H × W, RGB order, normalized floats or bytes, written straight into the
    /// batch buffer at element <paramref name="offset"/> (the collator wraps the buffer as the batch tensor, no copy).
    /// </summary>
    private void Repack(IReadOnlyList<Mat> frames, int first, int count, int side, BatchBuffer buffer, long offset)
    {
        int hw = side * side, c = _channels;
        var row = ArrayPool<byte>.Shared.Rent(hw * c);
        try
        {
            for (int t = 0; t < count; t++)
            {
                CopyOut(frames[first + t], row, hw * c);
                for (int ch = 0; ch < c; ch++)
                {
                    int srcCh = c == 3 ? 2 - ch : ch;
                    long at = offset + (long)(ch * count + t) * hw;
                    if (buffer.Data is float[] floats)
                    {
                        var lut = _lut[ch];
                        var plane = floats.AsSpan((int)at, hw);
                        for (int p = 0; p < hw; p++)
                            plane[p] = lut[row[p * c + srcCh]];
                    }
                    else
                    {
                        var plane = ((byte[])buffer.Data).AsSpan((int)at, hw);
                        for (int p = 0; p < hw; p++)
                            plane[p] = row[p * c + srcCh];
                    }
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(row);
        }
    }

    private static void CopyOut(Mat frame, byte[] row, int count)
    {
        if (frame.IsContinuous())
        {
            Marshal.Copy(frame.Data, row, 0, count);
            return;
        }
        using var copy = frame.Clone();
        Marshal.Copy(copy.Data, row, 0, count);
    }
}
