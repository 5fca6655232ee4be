using System.Globalization;

namespace Toolkit.Core;

/// <summary>Memory of this process from <c>/proc/self/status</c> (Linux), for reports and benchmarks.</summary>
public static class ProcessMemory
{
    /// <summary>Resident set (VmRSS) in bytes; the runtime's working set where /proc is not there.</summary>
    public static long Resident() => Field("VmRSS:") ?? Environment.WorkingSet;

    /// <summary>Peak resident set (VmHWM) in bytes; the runtime's peak working set where /proc is not there.</summary>
    public static long Peak() => Field("VmHWM:") ?? System.Diagnostics.Process.GetCurrentProcess().PeakWorkingSet64;

    private static long? Field(string name)
    {
        const string status = "/proc/self/status";
        try
        {
            foreach (string line in File.ReadLines(status))
            {
                if (line.StartsWith(name, StringComparison.Ordinal))
                    return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
        return null;
    }
}
