using System.Text.Json;
using Andes.GenAI;
using Andes.SemanticKernel;
using Andes.Testing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;

namespace Andes.SemanticKernel.Tests.Skills;

public sealed class AndesSkillsPluginTests
{
    private static SkillRegistry Skills() => new(
    [
        new Skill
        {
            Name = "ocr-fast",
            Description = "Reads the text in an image.",
            Adapter = "ocr",
            Instructions = "Transcribe exactly.",
            DefaultOptions = new ChatOptions { Temperature = 0, MaxOutputTokens = 9 },
        },
        new Skill { Name = "extract", Description = "Extracts fields as JSON.", OutputParser = SkillOutputParsers.Json },
    ]);

    [Fact]
    public async Task EachSkillBecomesAFunctionThatRunsTheSkill()
    {
        var client = new RecordingChatClient("Here: {\"total\": 12.5}");
        var kernel = new Kernel();
        KernelPlugin plugin = kernel.Plugins.AddAndesSkills(client, Skills());
        Assert.Equal("AndesSkills", plugin.Name);
        Assert.Equal(["ocr_fast", "extract"], plugin.Select(f => f.Name));
        Assert.Equal("Reads the text in an image.", plugin["ocr_fast"].Description);
        Assert.Equal("request", plugin["ocr_fast"].Metadata.Parameters.Single().Name);

        FunctionResult text = await kernel.InvokeAsync(plugin["ocr_fast"], new KernelArguments { ["request"] = "What does the sign say?" });
        Assert.Equal("Here: {\"total\": 12.5}", text.GetValue<object>());
        ChatOptions sent = client.Options!;
        Assert.Equal("Transcribe exactly.", sent.Instructions);
        Assert.Equal(0f, sent.Temperature);
        Assert.Equal(9, sent.MaxOutputTokens);
        Assert.Equal("ocr", sent.AdditionalProperties![AndesChatOptionKeys.Adapter]);
        Assert.Equal("What does the sign say?", client.Messages!.Single().Text);

        FunctionResult json = await kernel.InvokeAsync(plugin["extract"], new KernelArguments { ["request"] = "Total?" });
        Assert.Equal(12.5, ((JsonElement)json.GetValue<object>()!).GetProperty("total").GetDouble());
        Assert.Null(client.Options!.GetAdapter());
    }

    [Fact]
    public void TheClientsSkillsAreUsedWhenNoneAreGiven()
    {
        var client = new RecordingChatClient("x") { Skills = Skills() };
        Assert.Equal(2, AndesSkillsPlugin.Create(client).FunctionCount);
        Assert.Throws<ArgumentException>(() => AndesSkillsPlugin.Create(new RecordingChatClient("x")));
    }

    [Fact]
    public async Task OnTheTinyModelTheFunctionAnswersLikeTheChatClientWithTheSkill()
    {
        using AndesModel model = AndesModel.Load(TestModels.TinyFp32LoraModel);
        using var adapters = new AdapterRegistry(model);
        adapters.Load("ocr", TestModels.TinyPeftAdapter(7));
        SkillRegistry skills = Skills();
        using var client = new AndesChatClient(model, new AndesChatClientOptions { Adapters = adapters, Skills = skills, MaxCachedConversations = 0 });
        var kernel = new Kernel();
        kernel.Plugins.AddAndesSkills(client);

        object? viaKernel = (await kernel.InvokeAsync("AndesSkills", "ocr_fast", new KernelArguments { ["request"] = "Read it." })).GetValue<object>();
        ChatResponse direct = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "Read it.")], new ChatOptions().WithSkill("ocr-fast"));
        ChatResponse baseModel = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "Read it.")], new ChatOptions { Instructions = "Transcribe exactly.", Temperature = 0, MaxOutputTokens = 9 });
        Assert.Equal(direct.Text, viaKernel);
        Assert.NotEqual(baseModel.Text, viaKernel); // the adapter was active
    }

    [Fact]
    public async Task AHostRegistersAdaptersAndSkillsThroughTheKernelBuilder()
    {
        IKernelBuilder builder = Kernel.CreateBuilder();
        builder.AddAndesChatClient(
            TestModels.TinyFp32LoraModel,
            skills => skills
                .AddAdapter("ocr", TestModels.TinyPeftAdapter(7))
                .AddSkill(new Skill { Name = "ocr-fast", Description = "Reads the text in an image.", Adapter = "ocr", Instructions = "Transcribe exactly.", DefaultOptions = new ChatOptions { Temperature = 0, MaxOutputTokens = 9 } }),
            o => o.MaxCachedConversations = 0);
        builder.Plugins.AddAndesSkillsFromServices();
        Kernel kernel = builder.Build();

        KernelPlugin plugin = kernel.Plugins["AndesSkills"];
        Assert.Equal(["ocr_fast"], plugin.Select(f => f.Name));
        object? viaKernel = (await kernel.InvokeAsync(plugin["ocr_fast"], new KernelArguments { ["request"] = "Read it." })).GetValue<object>();
        IChatClient client = kernel.GetRequiredService<IChatClient>();
        ChatResponse direct = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "Read it.")], new ChatOptions().WithSkill("ocr-fast"));
        ChatResponse baseModel = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "Read it.")], new ChatOptions { Instructions = "Transcribe exactly.", Temperature = 0, MaxOutputTokens = 9 });
        Assert.Equal(direct.Text, viaKernel);
        Assert.NotEqual(baseModel.Text, viaKernel); // the adapter registered through DI was active
        Assert.Equal(["ocr"], kernel.Services.GetRequiredService<AdapterRegistry>().Names);
    }

    private sealed class RecordingChatClient(string answer) : IChatClient
    {
        public ChatOptions? Options { get; private set; }

        public List<ChatMessage>? Messages { get; private set; }

        public SkillRegistry? Skills { get; init; }

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            Messages = [.. messages];
            Options = options;
            return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, answer)));
        }

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => serviceType == typeof(SkillRegistry) ? Skills : null;

        public void Dispose()
        {
        }
    }
}
