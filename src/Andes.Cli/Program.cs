using System.CommandLine;
using Andes.Cli.Commands;

var root = new RootCommand("andes: run and build AndesVL vision-language models on ONNX Runtime, from .NET.");
root.Subcommands.Add(DemoCommand.Create());
root.Subcommands.Add(ChatCommand.Create());
root.Subcommands.Add(GenerateCommand.Create());
root.Subcommands.Add(DescribeCommand.Create());
root.Subcommands.Add(TokenizeCommand.Create());
root.Subcommands.Add(MakeCheckpointCommand.Create());
root.Subcommands.Add(ConvertCommand.Create());
root.Subcommands.Add(MakeAdapterCommand.Create());
root.Subcommands.Add(ConvertAdapterCommand.Create());
root.Subcommands.Add(BenchCommand.Create());
root.Subcommands.Add(BenchVisionCommand.Create());
root.Subcommands.Add(MakeGroundingSetCommand.Create());
root.Subcommands.Add(EvalGroundingCommand.Create());
root.Subcommands.Add(BenchAdaptersCommand.Create());
return await root.Parse(args).InvokeAsync();
