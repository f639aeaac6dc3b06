using System.Text;
using System.Text.Json;
using Andes.GenAI;
using Andes.SemanticKernel;
using Andes.Testing;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;

namespace Andes.SemanticKernel.Tests.Agents;

public sealed class AndesAgentExtensionsTests(TinyModelFixture fixture) : IClassFixture<TinyModelFixture>
{
    private static readonly Dictionary<string, object?> Paris = new() { ["city"] = "Paris" };

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

    private static AIFunction Temperature(List<string>? calls = null) =>
        AIFunctionFactory.Create((string city) => { calls?.Add(city); return 10 + city.Length; }, "get_temperature", "Gets the temperature of a city.");

    [Fact]
    public async Task RunSendsInstructionsAndToolsAndExecutesTheCall()
    {
        var calls = new List<string>();
        var script = new ScriptedChatClient(ScriptedChatClient.Call("call_1", "get_temperature", Paris), ScriptedChatClient.Text("It is 15 degrees."));
        ChatClientAgent agent = script.AsAndesAgent("You are a weather assistant.", name: "weather", description: "Answers weather questions.", tools: [Temperature(calls)]);

        AgentSession session = await agent.CreateSessionAsync();
        AgentResponse response = await agent.RunAsync("How warm is Paris?", session);

        Assert.Equal("It is 15 degrees.", response.Text);
        Assert.Equal(["Paris"], calls);
        Assert.Equal(("weather", "Answers weather questions.", "You are a weather assistant."), (agent.Name, agent.Description, agent.Instructions));

        Assert.Equal(2, script.Requests.Count);
        ChatOptions first = script.Requests[0].Options!;
        Assert.Equal("You are a weather assistant.", first.Instructions);
        Assert.Equal(["get_temperature"], first.Tools!.Select(t => t.Name));
        FunctionResultContent result = Assert.IsType<FunctionResultContent>(script.Requests[1].Messages[^1].Contents.Single());
        Assert.Equal(("call_1", "15"), (result.CallId, result.Result?.ToString()));

        Assert.True(session.TryGetInMemoryChatHistory(out List<ChatMessage>? history));
        Assert.Equal([ChatRole.User, ChatRole.Assistant, ChatRole.Tool, ChatRole.Assistant], history!.Select(m => m.Role));
        Assert.Equal("How warm is Paris?", history[0].Text);
        Assert.IsType<FunctionCallContent>(history[1].Contents.Single());
        Assert.IsType<FunctionResultContent>(history[2].Contents.Single());
        Assert.Equal("It is 15 degrees.", history[3].Text);
    }

    [Fact]
    public async Task SkillsBecomeToolsThatRunTheSkillAndFeedTheResultBack()
    {
        var bothCalls = new ChatResponse(new ChatMessage(ChatRole.Assistant,
        [
            new FunctionCallContent("call_1", "ocr-fast", new Dictionary<string, object?> { ["request"] = "What does the sign say?" }),
            new FunctionCallContent("call_2", "extract", new Dictionary<string, object?> { ["request"] = "Total of: 12.5 EUR" }),
        ]))
        { FinishReason = ChatFinishReason.ToolCalls };
        var script = new ScriptedChatClient(bothCalls, ScriptedChatClient.Text("NO PARKING"), ScriptedChatClient.Text("Here: {\"total\": 12.5}"), ScriptedChatClient.Text("Done."));
        ChatClientAgent agent = script.AsAndesAgent("Use your skills.", tools: [Temperature()], skills: Skills());

        AgentResponse response = await agent.RunAsync("Read the sign and the receipt.");

        Assert.Equal("Done.", response.Text);
        Assert.Equal(4, script.Requests.Count);
        ChatOptions first = script.Requests[0].Options!;
        Assert.Equal(["get_temperature", "ocr-fast", "extract"], first.Tools!.Select(t => t.Name));
        AIFunction ocrTool = Assert.IsAssignableFrom<AIFunction>(first.Tools![1]);
        Assert.Equal("Reads the text in an image.", ocrTool.Description);
        Assert.Equal(AndesSkillTools.RequestParameter, ocrTool.JsonSchema.GetProperty("required").EnumerateArray().Single().GetString());

        // Each call ran as its skill: a fresh one-message conversation with the skill's options and no tools.
        (List<ChatMessage> ocrMessages, ChatOptions? ocrOptions) = script.Requests[1];
        Assert.Equal("What does the sign say?", ocrMessages.Single().Text);
        Assert.Equal(("Transcribe exactly.", 0f, 9), (ocrOptions!.Instructions, ocrOptions.Temperature, ocrOptions.MaxOutputTokens));
        Assert.Equal("ocr", ocrOptions.GetAdapter());
        Assert.Null(ocrOptions.Tools);
        (List<ChatMessage> extractMessages, ChatOptions? extractOptions) = script.Requests[2];
        Assert.Equal("Total of: 12.5 EUR", extractMessages.Single().Text);
        Assert.Null(extractOptions!.GetAdapter());

        // The skills' parsed outputs went back to the model.
        FunctionResultContent[] results = [.. script.Requests[3].Messages.SelectMany(m => m.Contents).OfType<FunctionResultContent>()];
        Assert.Equal(["call_1", "call_2"], results.Select(r => r.CallId));
        Assert.Equal("NO PARKING", results[0].Result?.ToString());
        Assert.Equal(12.5, Assert.IsType<JsonElement>(results[1].Result).GetProperty("total").GetDouble());
    }

    [Fact]
    public async Task TheClientsSkillsAreUsedUnlessOthersAreGivenAndToolNamesMustNotClash()
    {
        var withSkills = new ScriptedChatClient(ScriptedChatClient.Text("ok")) { Skills = Skills() };
        await withSkills.AsAndesAgent().RunAsync("Hi");
        Assert.Equal(["ocr-fast", "extract"], withSkills.Requests.Single().Options!.Tools!.Select(t => t.Name));

        var other = new SkillRegistry([new Skill { Name = "translate" }]);
        var options = new ChatClientAgentOptions { Name = "a", ChatOptions = new ChatOptions { Tools = [Temperature()], MaxOutputTokens = 5 } };
        ChatClientAgent agent = withSkills.AsAndesAgent(options, other);
        await agent.RunAsync("Hi");
        ChatOptions sent = withSkills.Requests[^1].Options!;
        Assert.Equal(["get_temperature", "translate"], sent.Tools!.Select(t => t.Name));
        Assert.Equal("Runs the 'translate' skill.", sent.Tools![1].Description);
        Assert.Equal(5, sent.MaxOutputTokens);
        Assert.Single(options.ChatOptions.Tools); // the caller's options are left as they were

        var noSkills = new ScriptedChatClient(ScriptedChatClient.Text("ok"));
        await noSkills.AsAndesAgent("Be brief.").RunAsync("Hi");
        Assert.Null(noSkills.Requests.Single().Options!.Tools);
        Assert.Empty(AndesSkillTools.Create(noSkills));

        AIFunction clash = AIFunctionFactory.Create(() => "x", "extract");
        ArgumentException error = Assert.Throws<ArgumentException>(() => withSkills.AsAndesAgent(tools: [clash]));
        Assert.Contains("'extract'", error.Message);
    }

    [Fact]
    public async Task SessionsRoundTripThroughJsonAndCarryTheConversation()
    {
        var script = new ScriptedChatClient(
            ScriptedChatClient.Call("call_1", "get_temperature", Paris),
            ScriptedChatClient.Text("It is 15 degrees."),
            ScriptedChatClient.Text("Tomorrow too."));
        ChatClientAgent agent = script.AsAndesAgent("Be brief.", tools: [Temperature()]);

        AgentSession session = await agent.CreateSessionAsync();
        await agent.RunAsync("How warm is Paris?", session);
        JsonElement saved = await agent.SerializeSessionAsync(session);
        string json = saved.GetRawText();

        // A new agent instance (e.g. after a restart) restores the conversation from the JSON text.
        ChatClientAgent restoredAgent = script.AsAndesAgent("Be brief.", tools: [Temperature()]);
        AgentSession restored = await restoredAgent.DeserializeSessionAsync(JsonDocument.Parse(json).RootElement);
        Assert.Equal(json, (await restoredAgent.SerializeSessionAsync(restored)).GetRawText());
        Assert.True(restored.TryGetInMemoryChatHistory(out List<ChatMessage>? history));
        Assert.Equal(4, history!.Count);
        FunctionCallContent call = Assert.IsType<FunctionCallContent>(history[1].Contents.Single());
        Assert.Equal(("call_1", "get_temperature", "Paris"), (call.CallId, call.Name, call.Arguments!["city"]?.ToString()));
        FunctionResultContent result = Assert.IsType<FunctionResultContent>(history[2].Contents.Single());
        Assert.Equal(("call_1", "15"), (result.CallId, result.Result?.ToString()));

        AgentResponse next = await restoredAgent.RunAsync("And tomorrow?", restored);

        Assert.Equal("Tomorrow too.", next.Text);
        List<ChatMessage> sent = script.Requests[2].Messages;
        Assert.Equal(["How warm is Paris?", "", "", "It is 15 degrees.", "And tomorrow?"], sent.Select(m => m.Text));
        Assert.Equal([ChatRole.User, ChatRole.Assistant, ChatRole.Tool, ChatRole.Assistant, ChatRole.User], sent.Select(m => m.Role));
        Assert.True(restored.TryGetInMemoryChatHistory(out List<ChatMessage>? after));
        Assert.Equal(6, after!.Count);

        // The original session object did not see the second turn.
        Assert.True(session.TryGetInMemoryChatHistory(out List<ChatMessage>? original));
        Assert.Equal(4, original!.Count);
    }

    [Fact]
    public async Task StreamingYieldsTheAnswerAndUpdatesTheSession()
    {
        var calls = new List<string>();
        var script = new ScriptedChatClient(ScriptedChatClient.Call("call_1", "get_temperature", Paris), ScriptedChatClient.Text("It is 15 degrees."));
        ChatClientAgent agent = script.AsAndesAgent(tools: [Temperature(calls)]);
        AgentSession session = await agent.CreateSessionAsync();

        var text = new StringBuilder();
        var updates = new List<AgentResponseUpdate>();
        await foreach (AgentResponseUpdate update in agent.RunStreamingAsync("How warm is Paris?", session))
        {
            updates.Add(update);
            text.Append(update.Text);
        }

        Assert.Equal("It is 15 degrees.", text.ToString());
        Assert.Equal(["Paris"], calls);
        Assert.Contains(updates, u => u.Contents.OfType<FunctionResultContent>().Any());
        Assert.True(session.TryGetInMemoryChatHistory(out List<ChatMessage>? history));
        Assert.Equal([ChatRole.User, ChatRole.Assistant, ChatRole.Tool, ChatRole.Assistant], history!.Select(m => m.Role));
    }

    [Fact]
    public async Task RunOptionsCarryAndesSettingsForOneRun()
    {
        var script = new ScriptedChatClient(ScriptedChatClient.Text("ok"));
        ChatClientAgent agent = script.AsAndesAgent(new ChatClientAgentOptions
        {
            ChatOptions = new ChatOptions { Instructions = "Agent rules.", Temperature = 0.2f, MaxOutputTokens = 50, AdditionalProperties = new() { [AndesChatOptionKeys.MinP] = 0.1f } },
        });

        await agent.RunAsync("Hi", options: new ChatClientAgentRunOptions(new ChatOptions { MaxOutputTokens = 8 }.WithSkill("translate")));

        ChatOptions sent = script.Requests.Single().Options!;
        Assert.Equal("Agent rules.", sent.Instructions);
        Assert.Equal(0.2f, sent.Temperature);
        Assert.Equal(8, sent.MaxOutputTokens);
        Assert.Equal(0.1f, sent.AdditionalProperties![AndesChatOptionKeys.MinP]);
        Assert.Equal("translate", sent.GetSkill());
    }

    [Fact]
    public async Task AgentOverTheTinyModelAnswersAndItsSessionRoundTrips()
    {
        using var model = new AndesChatClient(fixture.Model);
        ChatClientAgent agent = model.AsAndesAgent(new ChatClientAgentOptions
        {
            ChatOptions = new ChatOptions { Instructions = "You are terse.", Temperature = 0, MaxOutputTokens = 8 },
        });
        Assert.Same(model, agent.GetService<AndesChatClient>());

        AgentSession session = await agent.CreateSessionAsync();
        AgentResponse first = await agent.RunAsync("Hello, how are you?", session);
        Assert.NotEmpty(first.Text);
        Assert.Equal(8, first.Usage!.OutputTokenCount);

        AgentSession restored = await agent.DeserializeSessionAsync(JsonDocument.Parse((await agent.SerializeSessionAsync(session)).GetRawText()).RootElement);
        AgentResponse second = await agent.RunAsync("And tomorrow?", restored);
        Assert.True(restored.TryGetInMemoryChatHistory(out List<ChatMessage>? history));
        Assert.Equal(["Hello, how are you?", first.Text, "And tomorrow?", second.Text], history!.Select(m => m.Text));

        // The restored conversation is what the model sees: the same as sending the messages directly.
        ChatResponse direct = await model.GetResponseAsync(
            [new ChatMessage(ChatRole.User, "Hello, how are you?"), new ChatMessage(ChatRole.Assistant, first.Text), new ChatMessage(ChatRole.User, "And tomorrow?")],
            new ChatOptions { Instructions = "You are terse.", Temperature = 0, MaxOutputTokens = 8 });
        Assert.Equal(direct.Text, second.Text);
    }

    [Fact]
    public async Task OnTheTinyModelASkillToolRunsWithItsAdapter()
    {
        using AndesModel loaded = AndesModel.Load(TestModels.TinyFp32LoraModel);
        using var adapters = new AdapterRegistry(loaded);
        adapters.Load("ocr", TestModels.TinyPeftAdapter(7));
        using var client = new AndesChatClient(loaded, new AndesChatClientOptions { Adapters = adapters, Skills = Skills(), MaxCachedConversations = 0 });
        ChatClientAgent agent = client.AsAndesAgent(new ChatClientAgentOptions { ChatOptions = new ChatOptions { Temperature = 0, MaxOutputTokens = 96 } });

        // Constrained decoding makes even the random model call the skill; the follow-up turn is free.
        AgentSession session = await agent.CreateSessionAsync();
        await agent.RunAsync("Read the sign.", session, new ChatClientAgentRunOptions(new ChatOptions { ToolMode = ChatToolMode.RequireSpecific("ocr-fast") }));

        Assert.True(session.TryGetInMemoryChatHistory(out List<ChatMessage>? history));
        Assert.Equal([ChatRole.User, ChatRole.Assistant, ChatRole.Tool, ChatRole.Assistant], history!.Select(m => m.Role));
        FunctionCallContent call = Assert.IsType<FunctionCallContent>(history[1].Contents.Single());
        Assert.Equal("ocr-fast", call.Name);
        string request = Assert.IsType<string>(call.Arguments![AndesSkillTools.RequestParameter]?.ToString());
        FunctionResultContent result = Assert.IsType<FunctionResultContent>(history[2].Contents.Single());

        // The tool's answer is the skill's answer to the model's request, adapter and all.
        ChatResponse direct = await client.GetResponseAsync([new ChatMessage(ChatRole.User, request)], new ChatOptions().WithSkill("ocr-fast"));
        ChatResponse baseModel = await client.GetResponseAsync([new ChatMessage(ChatRole.User, request)], new ChatOptions { Instructions = "Transcribe exactly.", Temperature = 0, MaxOutputTokens = 9 });
        Assert.Equal(direct.Text, result.Result?.ToString());
        Assert.NotEqual(baseModel.Text, result.Result?.ToString());
    }
}
