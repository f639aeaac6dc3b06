using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text.RegularExpressions;

namespace Andes.Cli.Commands;

/// <summary>
/// How the andes command reports a failure: one line <c>error: ...</c> on stderr and a non-zero exit code (2 for a
/// usage error, 1 for a failure, 130 when cancelled); the exception's type and stack trace only with <c>--verbose</c>.
/// </summary>
internal static partial class CliErrors
{
    /// <summary><c>--verbose</c>, on every command: an error prints the whole exception.</summary>
    public static Option<bool> Verbose { get; } = new("--verbose") { Description = "On an error, print the full exception (type and stack trace), not one line.", Recursive = true };

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

    /// <summary>
    /// A parse error's message, with System.CommandLine's "Required argument ... missing" replaced by one that names the
    /// missing positional argument and what it is.
    /// </summary>
    public static string MessageOf(ParseError error, ParseResult parse)
    {
        Command command = parse.CommandResult.Command;
        if (NotAmong().Match(error.Message) is { Success: true } notAmong
            && (error.SymbolResult as OptionResult ?? error.SymbolResult?.Parent as OptionResult) is { } option)
        {
            string[] choices = notAmong.Groups[2].Value.Split(['\'', '\t', '\r', '\n', ' '], StringSplitOptions.RemoveEmptyEntries);
            return $"{option.Option.Name}: '{notAmong.Groups[1].Value}' is not one of {string.Join(", ", choices)}.";
        }

        // Recognised by its structure, not its wording (System.CommandLine 3.0 reworded it): the error belongs to a
        // required argument that received no token.
        if (error.SymbolResult is not ArgumentResult { Tokens.Count: 0 } missing || missing.Argument.Arity.MinimumNumberOfValues == 0)
        {
            return error.Message;
        }

        return $"{command.Name} needs its {missing.Argument.Name} argument: {missing.Argument.Description} Usage: andes {command.Name} {string.Join(' ', command.Arguments.Select(a => a.Name))} [options].";
    }

    [GeneratedRegex(@"^Argument '(.*)' not recognized\. Must be one of:(.*)$", RegexOptions.Singleline)]
    private static partial Regex NotAmong();

    // Messages of this project's exceptions already name the file, field or value; the framework's ArgumentException
    // appends " (Parameter 'x')", which means nothing to someone at a command line.
    private static string MessageOf(Exception exception) => exception switch
    {
        OperationCanceledException => "cancelled.",
        ArgumentException { ParamName: { } name } a => a.Message.Replace($" (Parameter '{name}')", string.Empty, StringComparison.Ordinal),
        _ => exception.Message,
    };
}
