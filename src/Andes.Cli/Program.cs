using System.CommandLine;
using Andes.Cli.Commands;

var root = new RootCommand("andes: run and build AndesVL vision-language models on ONNX Runtime, from .NET.");
var verbose = new Option<bool>("--verbose") { Description = "On an error, print the full exception (type and stack trace), not one line.", Recursive = true };
root.Options.Add(verbose);
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

ParseResult parse = root.Parse(args);
if (parse.Errors.Count > 0)
{
    foreach (System.CommandLine.Parsing.ParseError error in parse.Errors)
    {
        Console.Error.WriteLine(CliErrors.Line(error.Message));
    }

    return CliErrors.UsageExitCode;
}

try
{
    return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (Exception e)
{
    return CliErrors.Report(e, parse.GetValue(verbose), Console.Error);
}
