using Toolkit.Augment;
using Toolkit.Augment.Geometry;
using Toolkit.Ingest.Imaging;

namespace Toolkit.Loaders.Datasets;

/// <summary>One entry of a dataset list.</summary>
/// <param name="Path">Rawframe folder or video file, resolved against the dataset root.</param>
/// <param name="TotalFrames">Frames as the list states them (rawframes), or −1 when the list has no count (videos).</param>
/// <param name="Labels">Class indices (one, or several for multi-label lines).</param>
/// <param name="Line">1-based line of the list file, for error messages.</param>
public sealed record DatasetItem(string Path, int TotalFrames, IReadOnlyList<int> Labels, int Line);

/// <summary>
/// A dataset the loader samples clips from: items with labels, a frame count per item and a reader that decodes only
/// the requested frames. Implementations are thread-safe: workers call <see cref="Read"/> concurrently.
/// </summary>
public interface IVideoDataset
{
    /// <summary>Number of items.</summary>
    int Count { get; }

    /// <summary>RGB (3 channels) or flow (x and y stacked as 2 channels).</summary>
    ClipKind Kind { get; }

    /// <summary>Number of the first frame: 1 for mmaction2 rawframes (<c>img_00001.jpg</c>), 0 for denseflow and videos.</summary>
    int StartIndex { get; }

    /// <summary>Item <paramref name="index"/>.</summary>
    DatasetItem this[int index] { get; }

    /// <summary>Frames of item <paramref name="index"/> that the samplers may choose from.</summary>
    /// <exception cref="Toolkit.Core.ToolkitError">The item cannot be opened (names the file).</exception>
    int FrameCount(int index);

    /// <summary>
    /// Decodes frames <paramref name="frames"/> (numbers as sampled, start index included) of item <paramref name="index"/>
    /// into a clip the caller owns, in the given order (repeats allowed).
    /// </summary>
    /// <exception cref="Toolkit.Core.ToolkitError">A frame is missing or cannot be decoded; the message names the file.</exception>
    Clip Read(int index, IReadOnlyList<int> frames);
}

/// <summary>
/// A dataset that can decode frames at reduced resolution when what follows needs no more (JPEG rawframes: libjpeg's
/// DCT-domain scaling, M/8). The loader uses it when a recipe starts by resizing to a short side smaller than the
/// frames' (multigrid's small shapes, short-side-128 recipes).
/// </summary>
public interface IReducedScaleReads
{
    /// <summary>
    /// As <see cref="IVideoDataset.Read"/>, each frame decoded as small as <paramref name="scale"/> allows: at least
    /// its <see cref="DecodeScale.MinShortSide"/> pixels on the short side (the frame's own size when that is smaller,
    /// and for anything that cannot be decoded scaled); <see cref="DecodeScale.Full"/>: full size.
    /// </summary>
    Clip Read(int index, IReadOnlyList<int> frames, DecodeScale scale);
}

/// <summary>
/// A dataset that can decode one rectangle of its frames (JPEG rawframes: libjpeg's cropped decoding, which skips the
/// inverse DCT and colour conversion outside it). The loader uses it when a recipe's first pixel work is a crop
/// (RandomResizedCrop, RandomCrop, CenterCrop after a resize that keeps the frames' size): it reads the frame size,
/// draws the crop, and asks for just that box. The pixels are those of <see cref="IReducedScaleReads.Read"/> cropped.
/// </summary>
public interface IRegionReads : IReducedScaleReads
{
    /// <summary>
    /// The size <see cref="IReducedScaleReads.Read"/> would decode frame <paramref name="frame"/> of item
    /// <paramref name="index"/> at for <paramref name="scale"/>, from its header alone; null when region reads cannot
    /// serve this item (not a JPEG, a missing file: the caller reads it whole and gets the usual error). Flow is read at full
    /// size whatever the scale.
    /// </summary>
    DecodedSize? RegionSize(int index, int frame, DecodeScale scale);

    /// <summary>
    /// As <see cref="IReducedScaleReads.Read"/> at <paramref name="size"/> (what <see cref="RegionSize"/> gave), each
    /// frame cropped to <paramref name="box"/>: a clip of box-sized frames the caller owns. A frame of another size is a
    /// <see cref="Toolkit.Core.ToolkitError"/>, as in a whole read.
    /// </summary>
    Clip ReadRegion(int index, IReadOnlyList<int> frames, DecodedSize size, PixelBox box);
}
