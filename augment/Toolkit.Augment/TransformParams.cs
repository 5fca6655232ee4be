using System.Text.Json.Serialization;

namespace Toolkit.Augment;

/// <summary>
/// The parameters one transform sampled for one clip (sampled once per clip, applied to all its frames), recorded on
/// the output clip in <see cref="Clip.Applied"/>. Records, so equal samples compare equal and print readably.
/// </summary>
/// <param name="Transform">The transform's name as recipes spell it (e.g. <c>RandomResizedCrop</c>).</param>
[JsonDerivedType(typeof(Geometry.ResizeParams))]
[JsonDerivedType(typeof(Geometry.RandomRescaleParams))]
[JsonDerivedType(typeof(Geometry.CropParams))]
[JsonDerivedType(typeof(Geometry.ResizedCropParams))]
[JsonDerivedType(typeof(Geometry.MultiCropParams))]
[JsonDerivedType(typeof(Geometry.FlipParams))]
[JsonDerivedType(typeof(Color.ColorJitterParams))]
[JsonDerivedType(typeof(Color.NormalizeParams))]
public abstract record TransformParams(string Transform);
