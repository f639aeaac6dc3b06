using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using ImageContent = Microsoft.SemanticKernel.ImageContent;
using TextContent = Microsoft.Extensions.AI.TextContent;

namespace Andes.SemanticKernel.Tests;

/// <summary>Images in prompts and chat histories reach the model as <see cref="DataContent"/> (what AndesChatClient turns into image slots).</summary>
public sealed class ImagePromptTests
{
    // A 1x1 PNG.
    private static readonly byte[] Png = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");

    [Fact]
    public async Task ChatPromptImageBecomesDataContent()
    {
        var script = new ScriptedChatClient(ScriptedChatClient.Text("A dot."));
        Kernel kernel = CreateKernel(script);
        string prompt = $"""
            <message role="user"><text>What is in this picture?</text><image>data:image/png;base64,{Convert.ToBase64String(Png)}</image></message>
            """;

        FunctionResult result = await kernel.InvokePromptAsync(prompt);

        Assert.Equal("A dot.", result.ToString());
        ChatMessage user = Assert.Single(script.Requests.Single().Messages);
        Assert.Equal(ChatRole.User, user.Role);
        Assert.Equal("What is in this picture?", Assert.IsType<TextContent>(user.Contents[0]).Text);
        DataContent image = Assert.IsType<DataContent>(user.Contents[1]);
        Assert.Equal("image/png", image.MediaType);
        Assert.Equal(Png, image.Data.ToArray());
    }

    [Fact]
    public async Task ChatHistoryImageContentBecomesDataContent()
    {
        var script = new ScriptedChatClient(ScriptedChatClient.Text("A dot."));
        Kernel kernel = CreateKernel(script);
        var history = new ChatHistory();
        history.AddUserMessage([new Microsoft.SemanticKernel.TextContent("Describe."), new ImageContent(Png, "image/png")]);

        ChatMessageContent answer = await kernel.GetRequiredService<IChatCompletionService>().GetChatMessageContentAsync(history, kernel: kernel);

        Assert.Equal("A dot.", answer.Content);
        ChatMessage user = Assert.Single(script.Requests.Single().Messages);
        DataContent image = Assert.IsType<DataContent>(user.Contents[1]);
        Assert.Equal("image/png", image.MediaType);
        Assert.Equal(Png, image.Data.ToArray());
    }

    private static Kernel CreateKernel(IChatClient model)
    {
        IKernelBuilder builder = Kernel.CreateBuilder();
        builder.Services.AddKernelChatClient(null, _ => model);
        return builder.Build();
    }
}
