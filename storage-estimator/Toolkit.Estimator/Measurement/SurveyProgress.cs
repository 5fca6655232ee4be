namespace Toolkit.Estimator.Measurement;

/// <summary>
/// Live counters of an estimate, safe to read from another thread: the survey (every video probed and its frames
/// counted), then, in measured mode, the sample extraction. A long survey of a large dataset shows how far it is.
/// </summary>
public sealed class SurveyProgress
{
    private int _total;
    private int _surveyed;
    private int _excluded;
    private int _sampleTotal;
    private int _sampleDone;

    /// <summary>Videos found to survey.</summary>
    public int Total => Volatile.Read(ref _total);

    /// <summary>Videos surveyed so far (usable or excluded).</summary>
    public int Surveyed => Volatile.Read(ref _surveyed);

    /// <summary>Videos excluded so far (unreadable, too short, …).</summary>
    public int Excluded => Volatile.Read(ref _excluded);

    /// <summary>Videos the sample extraction converts (0 before it starts, and in model mode).</summary>
    public int SampleTotal => Volatile.Read(ref _sampleTotal);

    /// <summary>Sample videos extracted so far.</summary>
    public int SampleDone => Volatile.Read(ref _sampleDone);

    internal void SetTotal(int total) => Volatile.Write(ref _total, total);

    internal void Surveyed1(bool excluded)
    {
        Interlocked.Increment(ref _surveyed);
        if (excluded)
            Interlocked.Increment(ref _excluded);
    }

    internal void AddSample(int videos) => Interlocked.Add(ref _sampleTotal, videos);

    internal void SampleFinished() => Interlocked.Increment(ref _sampleDone);
}
