using System.CommandLine;
using Andes.GenAI;
namespace Andes.Cli.Commands;

/// <summary><c>andes tokenize</c>: prints the token ids of a text.</summary>
internal static class TokenizeCommand
{
    public static Command Create()
    {
        var model = ModelFolderOption.Create("The model whose tokenizer.json is used");
        var text = new Argument<string?>("TEXT") { Description = "The text.", Arity = ArgumentArity.ZeroOrOne };
        var file = new Option<FileInfo?>("--file") { Description = "Read the text from a file (UTF-8)." };
        var command = new Command("tokenize", "Print the token ids of a text, comma-separated.") { model, text, file };
        command.Validators.Add(result =>
        {
            if ((result.GetValue(text) is null) == (result.GetValue(file) is null))
            {
                result.AddError("Give the text or --file, not both.");
            }
        });
        command.SetAction((parse, _) =>
        {
            AndesTokenizer tokenizer = AndesTokenizer.Create(Path.Combine(ModelFolderOption.Resolve(parse.GetValue(model)!), "tokenizer.json"));
            string input = parse.GetValue(text) ?? File.ReadAllText(parse.GetValue(file)!.FullName);
            Console.Out.WriteLine(string.Join(",", tokenizer.EncodeToIds(input)));
            return Task.FromResult(0);
        });
        return command;
    }
}
