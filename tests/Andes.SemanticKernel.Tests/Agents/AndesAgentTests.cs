using System.Text;
using System.Text.Json;
using Andes.GenAI;
using Andes.SemanticKernel.Agents;
using Andes.Testing;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;

namespace Andes.SemanticKernel.Tests.Agents;

public sealed class AndesAgentTests(TinyModelFixture fixture) : IClassFixture<TinyModelFixture>
{
    private static readonly Dictionary<string, object?> Paris = new() { ["city"] = "Paris" };

    [Fact]
    public async Task RunSendsInstructionsAndToolsAndExecutesTheCall()
    {
        var calls = new List<string>();
        AIFunction temperature = AIFunctionFactory.Create((string city) => { calls.Add(city); return 10 + city.Length; }, "get_temperature", "Gets the temperature of a city.");
        var script = new ScriptedChatClient(ScriptedChatClient.Call("call_1", "get_temperature", Paris), ScriptedChatClient.Text("It is 15 degrees."));
        var agent = new AndesAgent(script, "You are a weather assistant.", name: "weather", description: "Answers weather questions.", tools: [temperature]);

        AgentSession session = await agent.CreateSessionAsync();
        AgentResponse response = await agent.RunAsync("How warm is Paris?", session);

        Assert.Equal("It is 15 degrees.", response.Text);
        Assert.Equal(agent.Id, response.AgentId);
        Assert.Equal(["Paris"], calls);
        Assert.Equal(("weather", "Answers weather questions."), (agent.Name, agent.Description));

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
    public async Task SessionsRoundTripThroughJsonAndCarryTheConversation()
    {
        AIFunction temperature = AIFunctionFactory.Create((string city) => 10 + city.Length, "get_temperature");
        var script = new ScriptedChatClient(
            ScriptedChatClient.Call("call_1", "get_temperature", Paris),
            ScriptedChatClient.Text("It is 15 degrees."),
            ScriptedChatClient.Text("Tomorrow too."));
        var agent = new AndesAgent(script, new AndesAgentOptions { Instructions = "Be brief.", Tools = [temperature] });

        AgentSession session = await agent.CreateSessionAsync();
        await agent.RunAsync("How warm is Paris?", session);
        JsonElement saved = await agent.SerializeSessionAsync(session);
        string json = saved.GetRawText();

        // A new agent instance (e.g. after a restart) restores the conversation from the JSON text.
        var restoredAgent = new AndesAgent(script, new AndesAgentOptions { Instructions = "Be brief.", Tools = [temperature] });
        AgentSession restored = await restoredAgent.DeserializeSessionAsync(JsonDocument.Parse(json).RootElement);
        Assert.IsType<AndesAgentSession>(restored);
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
        Assert.Equal(
            ["How warm is Paris?", "", "", "It is 15 degrees.", "And tomorrow?"],
            sent.Select(m => m.Text));
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
        var calls = 0;
        AIFunction temperature = AIFunctionFactory.Create((string city) => { calls++; return 10 + city.Length; }, "get_temperature");
        var script = new ScriptedChatClient(ScriptedChatClient.Call("call_1", "get_temperature", Paris), ScriptedChatClient.Text("It is 15 degrees."));
        var agent = new AndesAgent(script, new AndesAgentOptions { Tools = [temperature] });
        AgentSession session = await agent.CreateSessionAsync();

        var text = new StringBuilder();
        var updates = new List<AgentResponseUpdate>();
        await foreach (AgentResponseUpdate update in agent.RunStreamingAsync("How warm is Paris?", session))
        {
            updates.Add(update);
            text.Append(update.Text);
        }

        Assert.Equal("It is 15 degrees.", text.ToString());
        Assert.Equal(1, calls);
        Assert.All(updates, u => Assert.Equal(agent.Id, u.AgentId));
        Assert.Contains(updates, u => u.Contents.OfType<FunctionResultContent>().Any());
        Assert.True(session.TryGetInMemoryChatHistory(out List<ChatMessage>? history));
        Assert.Equal([ChatRole.User, ChatRole.Assistant, ChatRole.Tool, ChatRole.Assistant], history!.Select(m => m.Role));
    }

    [Fact]
    public async Task RunOptionsLayerOverTheAgentsChatOptions()
    {
        var script = new ScriptedChatClient(ScriptedChatClient.Text("ok"));
        var agent = new AndesAgent(script, new AndesAgentOptions
        {
            Instructions = "Agent rules.",
            ChatOptions = new ChatOptions { Temperature = 0.2f, MaxOutputTokens = 50, AdditionalProperties = new() { ["min_p"] = 0.1f } },
        });

        var run = new AndesAgentRunOptions(new ChatOptions { Instructions = "Answer in French.", MaxOutputTokens = 8, AdditionalProperties = new() { ["andes.skill"] = "translate" } })
        {
            ResponseFormat = ChatResponseFormat.Json,
        };
        await agent.RunAsync("Hi", options: run);

        ChatOptions sent = script.Requests.Single().Options!;
        Assert.Equal("Agent rules.\nAnswer in French.", sent.Instructions);
        Assert.Equal(0.2f, sent.Temperature);
        Assert.Equal(8, sent.MaxOutputTokens);
        Assert.Equal(0.1f, sent.AdditionalProperties!["min_p"]);
        Assert.Equal("translate", sent.AdditionalProperties["andes.skill"]);
        Assert.IsType<ChatResponseFormatJson>(sent.ResponseFormat);
        Assert.Null(sent.Tools);

        var cloned = Assert.IsType<AndesAgentRunOptions>(run.Clone());
        Assert.NotSame(run.ChatOptions, cloned.ChatOptions);
        Assert.Equal(8, cloned.ChatOptions!.MaxOutputTokens);
    }

    [Fact]
    public async Task ForeignSessionsAndMalformedJsonAreRejected()
    {
        var agent = new AndesAgent(new ScriptedChatClient(ScriptedChatClient.Text("ok")));
        await Assert.ThrowsAsync<ArgumentException>(() => agent.RunAsync("Hi", new ForeignSession()));
        await Assert.ThrowsAsync<ArgumentException>(async () => await agent.SerializeSessionAsync(new ForeignSession()));
        await Assert.ThrowsAsync<JsonException>(async () => await agent.DeserializeSessionAsync(JsonDocument.Parse("[1]").RootElement));
        JsonException bag = await Assert.ThrowsAsync<JsonException>(async () => await agent.DeserializeSessionAsync(JsonDocument.Parse("""{"stateBag": 3}""").RootElement));
        Assert.Contains("stateBag", bag.Message);

        AgentSession empty = await agent.DeserializeSessionAsync(JsonDocument.Parse("{}").RootElement);
        Assert.False(empty.TryGetInMemoryChatHistory(out _));
    }

    [Fact]
    public async Task AgentOverTheTinyModelAnswersAndItsSessionRoundTrips()
    {
        using var model = new AndesChatClient(fixture.Model);
        var agent = new AndesAgent(model, new AndesAgentOptions
        {
            Instructions = "You are terse.",
            ChatOptions = new ChatOptions { Temperature = 0, MaxOutputTokens = 8 },
        });
        Assert.Equal("andes", agent.GetService<AIAgentMetadata>()!.ProviderName);
        Assert.Same(model, agent.GetService<AndesChatClient>());

        AgentSession session = await agent.CreateSessionAsync();
        AgentResponse first = await agent.RunAsync("Hello, how are you?", session);
        Assert.NotEmpty(first.Text);
        Assert.Equal(8, first.Usage!.OutputTokenCount);

        AgentSession restored = await agent.DeserializeSessionAsync(await agent.SerializeSessionAsync(session));
        AgentResponse second = await agent.RunAsync("And tomorrow?", restored);
        Assert.True(restored.TryGetInMemoryChatHistory(out List<ChatMessage>? history));
        Assert.Equal(["Hello, how are you?", first.Text, "And tomorrow?", second.Text], history!.Select(m => m.Text));

        // The restored conversation is what the model sees: the same as sending the messages directly.
        ChatResponse direct = await model.GetResponseAsync(
            [new ChatMessage(ChatRole.User, "Hello, how are you?"), new ChatMessage(ChatRole.Assistant, first.Text), new ChatMessage(ChatRole.User, "And tomorrow?")],
            new ChatOptions { Instructions = "You are terse.", Temperature = 0, MaxOutputTokens = 8 });
        Assert.Equal(direct.Text, second.Text);
    }

    private sealed class ForeignSession : AgentSession
    {
    }
}
