namespace Toolkit.Core;

/// <summary>
/// An error a user can act on: what it concerns (usually a file or folder), why it happened, and what to do.
/// Commands print <see cref="Exception.Message"/> as one line and exit with a documented code.
/// </summary>
public class ToolkitError : Exception
{
    /// <summary>Creates an error about <paramref name="subject"/>.</summary>
    /// <param name="subject">The file, folder or option the error is about.</param>
    /// <param name="reason">Why it failed, in the user's terms.</param>
    /// <param name="hint">What to do about it; may be null when there is nothing useful to suggest.</param>
    /// <param name="inner">The underlying exception, if any.</param>
    public ToolkitError(string subject, string reason, string? hint = null, Exception? inner = null)
        : base(Format(subject, reason, hint), inner)
    {
        Subject = subject;
        Reason = reason;
        Hint = hint;
    }

    /// <summary>The file, folder or option the error is about.</summary>
    public string Subject { get; }

    /// <summary>Why it failed.</summary>
    public string Reason { get; }

    /// <summary>What to do about it, if anything.</summary>
    public string? Hint { get; }

    private static string Format(string subject, string reason, string? hint) =>
        hint is null ? $"{subject}: {reason}" : reason.EndsWith('?') || reason.EndsWith('.') ? $"{subject}: {reason} {hint}" : $"{subject}: {reason}. {hint}";
}
