using OpenCvSharp;

namespace Toolkit.Augment;

/// <summary>
/// A transform whose kernel works on one frame at a time with parameters sampled beforehand, so a pipeline can run
/// every step on a frame while it is still in cache (<see cref="Pipeline.ClipPipeline.Run"/>).
/// </summary>
internal interface IFrameKernel
{
    /// <summary>
    /// Applies <paramref name="p"/> to one frame; the caller owns the result. <c>View</c> is true when the result
    /// shares pixels with <paramref name="frame"/> (a crop's region): it must be copied before it leaves the pipeline.
    /// </summary>
    (Mat Frame, bool View) ApplyFrame(Mat frame, ClipKind kind, TransformParams p);
}
