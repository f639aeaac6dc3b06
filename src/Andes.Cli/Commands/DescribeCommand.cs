using System.CommandLine;
using Andes.GenAI;
using Microsoft.Extensions.AI;
using Spectre.Console;

namespace Andes.Cli.Commands;

/// <summary><c>andes describe</c>: stream a model's description of an image, with the image's token count and timings.</summary>
internal static class DescribeCommand
{
    public static Command Create()
    {
        var model = ModelFolderOption.Create();
        var image = new Argument<FileInfo>("IMAGE") { Description = "The image file to describe (PNG, JPEG, BMP, GIF)." };
        var prompt = new Option<string>("--prompt") { Description = "The instruction sent with the image.", DefaultValueFactory = _ => "Describe this image." };
        var sampling = new SamplingOptions();
        var images = new ImageOptions();
        Option<GenerationEngine> engine = EngineOption.Create();
        var command = new Command("describe", "Describe an image.") { model, image, prompt, engine };
        images.AddTo(command, withImages: false);
        sampling.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            DataContent content = ImageOptions.Load(parse.GetValue(image)!.FullName, "IMAGE");
            using AndesModel m = AndesModel.Load(ModelFolderOption.Resolve(parse.GetValue(model)!), new AndesModelOptions { Engine = parse.GetValue(engine) });
            ImageOptions.RequireVision(m, 1);
            using var client = new AndesChatClient(m, new AndesChatClientOptions { ImageMaxSize = parse.GetValue(images.MaxSize) });
            ChatOptions options = ChatCommand.ExplicitChatOptions(parse, sampling);
            List<ChatMessage> messages = [new(ChatRole.User, [content, new TextContent(parse.GetValue(prompt)!)])];
            (ChatResponse response, TimeSpan? first, TimeSpan total, _) = await ConsoleStreaming.StreamAsync(client, messages, options, cancellationToken);
            EncodedPrompt encoded = m.Encode(AndesChatClientPromptRenderer.Render(messages), new PromptEncodingOptions { ImageMaxSize = parse.GetValue(images.MaxSize) });
            PromptImage info = encoded.Images[0];
            AnsiConsole.MarkupLine(
                $"[grey]{Markup.Escape(info.ToString())}; {response.Usage?.InputTokenCount} prompt tokens, {response.Usage?.OutputTokenCount} generated; " +
                $"first token after {first?.TotalMilliseconds:F0} ms (image decode, vision encoder and prompt), total {total.TotalSeconds:F2} s[/]");
            return 0;
        });
        return command;
    }
}
