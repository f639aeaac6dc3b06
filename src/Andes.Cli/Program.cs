using System.CommandLine;
using Andes.Cli.Commands;
using Spectre.Console;

// Redirected output goes to a file or a pipe: lines are not wrapped at Spectre's 80-column default there.
if (Console.IsOutputRedirected && Environment.GetEnvironmentVariable("COLUMNS") is null)
{
    AnsiConsole.Profile.Width = 4096;
}

var root = new RootCommand("andes: run and build AndesVL vision-language models on ONNX Runtime, from .NET.");
root.Options.Add(CliErrors.Verbose);
root.Subcommands.Add(DemoCommand.Create());
root.Subcommands.Add(ChatCommand.Create());
root.Subcommands.Add(GenerateCommand.Create());
root.Subcommands.Add(DescribeCommand.Create());
root.Subcommands.Add(TokenizeCommand.Create());
root.Subcommands.Add(MakeCheckpointCommand.Create());
root.Subcommands.Add(ConvertCommand.Create());
root.Subcommands.Add(DownloadCommand.Create());
root.Subcommands.Add(PullCommand.Create());
root.Subcommands.Add(VerifyCommand.Create());
root.Subcommands.Add(MakeAdapterCommand.Create());
root.Subcommands.Add(ConvertAdapterCommand.Create());
root.Subcommands.Add(BenchCommand.Create());
root.Subcommands.Add(BenchVisionCommand.Create());
root.Subcommands.Add(MakeGroundingSetCommand.Create());
root.Subcommands.Add(EvalGroundingCommand.Create());
root.Subcommands.Add(BenchAdaptersCommand.Create());
OptionRules.UseReadableNumberParsers(root);

ParseResult parse = root.Parse(args);
if (parse.Errors.Count > 0)
{
    foreach (System.CommandLine.Parsing.ParseError error in parse.Errors)
    {
        Console.Error.WriteLine(CliErrors.Line(CliErrors.MessageOf(error, parse)));
    }

    return CliErrors.UsageExitCode;
}

try
{
    // andes chat handles Ctrl+C itself (the first stops the answer, the next quits); everywhere else it cancels the command.
    TimeSpan? terminationTimeout = parse.CommandResult.Command.Name == ChatCommand.Name ? null : TimeSpan.FromSeconds(2);
    return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = terminationTimeout });
}
catch (Exception e)
{
    return CliErrors.Report(e, parse.GetValue(CliErrors.Verbose), Console.Error);
}
