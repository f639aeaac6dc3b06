namespace Andes.Packaging.Tests;

/// <summary>The outcome of a child process.</summary>
/// <param name="Command">The command line, for messages.</param>
/// <param name="ExitCode">The exit code.</param>
/// <param name="Output">Standard output.</param>
/// <param name="Error">Standard error.</param>
/// <param name="Elapsed">Wall-clock time.</param>
internal sealed record CommandResult(string Command, int ExitCode, string Output, string Error, TimeSpan Elapsed)
{
    /// <inheritdoc />
    public override string ToString() =>
        $"{Command} exited with {ExitCode} after {Elapsed.TotalSeconds:0.0} s.{Environment.NewLine}--- stdout ---{Environment.NewLine}{Output}{Environment.NewLine}--- stderr ---{Environment.NewLine}{Error}";
}
