namespace Andes.Cli.Commands;

/// <summary>
/// How the andes command reports a failure: one line <c>error: ...</c> on stderr and a non-zero exit code (2 for a
/// usage error, 1 for a failure, 130 when cancelled); the exception's type and stack trace only with <c>--verbose</c>.
/// </summary>
internal static class CliErrors
{
    /// <summary>The exit code of a usage error (a bad option value, a missing argument).</summary>
    public const int UsageExitCode = 2;

    /// <summary>The exit code of a failure while running.</summary>
    public const int FailureExitCode = 1;

    /// <summary>The exit code after Ctrl+C (128 + SIGINT, as shells report it).</summary>
    public const int CancelledExitCode = 130;

    /// <summary>Writes <paramref name="exception"/> as one error line (or in full with <paramref name="verbose"/>) and returns the exit code.</summary>
    public static int Report(Exception exception, bool verbose, TextWriter error)
    {
        if (verbose)
        {
            error.WriteLine(exception.ToString());
        }
        else
        {
            error.WriteLine(Line(MessageOf(exception)));
        }

        return exception switch
        {
            OperationCanceledException => CancelledExitCode,
            ArgumentException or FormatException => UsageExitCode,
            _ => FailureExitCode,
        };
    }

    /// <summary>One line: <c>error: </c> and the message with its line breaks folded.</summary>
    public static string Line(string message) =>
        "error: " + string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    // Messages of this project's exceptions already name the file, field or value; the framework's ArgumentException
    // appends " (Parameter 'x')", which means nothing to someone at a command line.
    private static string MessageOf(Exception exception) => exception switch
    {
        OperationCanceledException => "cancelled.",
        ArgumentException { ParamName: { } name } a => a.Message.Replace($" (Parameter '{name}')", string.Empty, StringComparison.Ordinal),
        _ => exception.Message,
    };
}
