using Andes.GenAI;
using Andes.GenAI.Tests.Adapters;
using Andes.Testing;
using Microsoft.Extensions.AI;

namespace Andes.GenAI.Tests.Chat;

/// <summary>The chat client with LoRA adapters and skills: per-request activation, conversation caches keyed on the adapter.</summary>
public sealed class AndesChatClientAdapterTests(LoraModelFixture fixture) : IClassFixture<LoraModelFixture>
{
    private static ChatOptions Greedy(int max) => new() { Temperature = 0, MaxOutputTokens = max };

    [Fact]
    public async Task WithAdapterGivesTheAdaptersGreedyTokens()
    {
        using var registry = new AdapterRegistry(fixture.Model);
        LoraAdapter a = registry.Load("a", TestModels.TinyPeftAdapter(7));
        using var client = new AndesChatClient(fixture.Model, new AndesChatClientOptions { Adapters = registry, MaxCachedConversations = 0 });
        ChatMessage[] hello = [new(ChatRole.User, "Hello, how are you?")];
        int[] prompt = fixture.Model.EncodePrompt(AndesChatTemplate.Default.Render(hello));

        ChatResponse withAdapter = await client.GetResponseAsync(hello, Greedy(10).WithAdapter("a"));
        ChatResponse without = await client.GetResponseAsync(hello, Greedy(10));
        Assert.Equal(Decode(LoraAdapterParityTests.Greedy(fixture.Model, a, 10, prompt)), withAdapter.Text.Trim());
        Assert.Equal(Decode(LoraAdapterParityTests.Greedy(fixture.Model, null, 10, prompt)), without.Text.Trim());
        Assert.NotEqual(withAdapter.Text, without.Text);
        Assert.Equal("a", Property(withAdapter, AndesChatOptionKeys.Adapter));
        Assert.Same(registry, client.GetService(typeof(AdapterRegistry)));

        ArgumentException unknown = await Assert.ThrowsAsync<ArgumentException>(() => client.GetResponseAsync(hello, Greedy(2).WithAdapter("zzz")));
        Assert.Contains("zzz", unknown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SwitchingAdaptersWithinAConversationMatchesFreshClientsAndNeverReusesAnotherAdaptersCache()
    {
        using var registry = new AdapterRegistry(fixture.Model);
        registry.Load("a", TestModels.TinyPeftAdapter(7));
        registry.Load("b", TestModels.TinyPeftAdapter(8, rank: 8));
        using var client = new AndesChatClient(fixture.Model, new AndesChatClientOptions { Adapters = registry, MaxCachedConversations = 4 });
        using var fresh = new AndesChatClient(fixture.Model, new AndesChatClientOptions { Adapters = registry, MaxCachedConversations = 0 });

        var history = new List<ChatMessage>();
        string?[] turns = ["a", null, "b", "a", "a", null];
        for (int i = 0; i < turns.Length; i++)
        {
            history.Add(new ChatMessage(ChatRole.User, $"Turn {i}: tell me more."));
            ChatOptions options = Greedy(6);
            if (turns[i] is { } name)
            {
                options.WithAdapter(name);
            }

            ChatResponse response = await client.GetResponseAsync(history, options);
            ChatResponse expected = await fresh.GetResponseAsync(history, options.Clone());
            Assert.Equal(expected.Text, response.Text);
            long cached = response.Usage!.CachedInputTokenCount ?? 0;
            bool sameAdapterAsBefore = i > 0 && turns[i - 1] == turns[i];
            if (sameAdapterAsBefore)
            {
                Assert.True(cached > 0, $"turn {i} should reuse the previous turn's cache");
            }
            else if (turns.Take(i).All(t => t != turns[i]))
            {
                Assert.Equal(0, cached); // no cache of this adapter exists yet
            }

            history.AddMessages(response);
        }
    }

    [Fact]
    public async Task ASkillAppliesItsInstructionsDefaultsAndAdapter()
    {
        using var registry = new AdapterRegistry(fixture.Model);
        LoraAdapter a = registry.Load("a", TestModels.TinyPeftAdapter(7));
        var skill = new Skill
        {
            Name = "ocr",
            Description = "Reads text.",
            Adapter = "a",
            Instructions = "Transcribe exactly.",
            DefaultOptions = new ChatOptions { Temperature = 0, MaxOutputTokens = 7 },
        };
        using var client = new AndesChatClient(fixture.Model, new AndesChatClientOptions { Adapters = registry, Skills = new SkillRegistry([skill]), MaxCachedConversations = 0 });
        ChatMessage[] messages = [new(ChatRole.User, "What does it say?")];

        ChatResponse response = await client.GetResponseAsync(messages, new ChatOptions().WithSkill("ocr"));
        int[] prompt = fixture.Model.EncodePrompt(AndesChatTemplate.Default.Render(messages, new ChatTemplateOptions { Instructions = "Transcribe exactly." }));
        Assert.Equal(prompt.Length, response.Usage!.InputTokenCount);
        Assert.Equal(7, response.Usage.OutputTokenCount);
        Assert.Equal(Decode(LoraAdapterParityTests.Greedy(fixture.Model, a, 7, prompt)), response.Text.Trim());
        Assert.Equal("ocr", Property(response, AndesChatOptionKeys.Skill));

        // The request's own settings win over the skill's defaults.
        ChatResponse shorter = await client.GetResponseAsync(messages, new ChatOptions { MaxOutputTokens = 3 }.WithSkill("ocr"));
        Assert.Equal(3, shorter.Usage!.OutputTokenCount);
        await Assert.ThrowsAsync<ArgumentException>(() => client.GetResponseAsync(messages, new ChatOptions().WithSkill("nope")));
    }

    [Fact]
    public async Task SkillsJsonBesideTheModelLoadsItsAdaptersOnce()
    {
        using TemporaryDirectory folder = TestModels.CreateTemporaryDirectory();
        foreach (string file in Directory.EnumerateFiles(TestModels.TinyFp32LoraModel))
        {
            File.CreateSymbolicLink(Path.Combine(folder.Path, Path.GetFileName(file)), file);
        }

        File.WriteAllText(Path.Combine(folder.Path, SkillRegistry.FileName), $$"""
            {
              "adapters": { "seven": "{{TestModels.TinyPeftAdapter(7).Replace("\\", "/", StringComparison.Ordinal)}}" },
              "skills": [
                { "name": "ocr", "description": "Reads text.", "adapter": "seven", "instructions": "Transcribe exactly.",
                  "options": { "temperature": 0, "max_output_tokens": 5, "enable_thinking": false }, "output_parser": "text" },
                { "name": "chat", "description": "Plain base-model chat." }
              ]
            }
            """);
        using var client = new AndesChatClient(folder.Path, new AndesChatClientOptions { MaxCachedConversations = 0 });
        Assert.Equal(["seven"], client.Adapters!.Names);
        Assert.Equal(["ocr", "chat"], client.Skills!.Skills.Select(s => s.Name));
        ChatResponse response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "Hi")], new ChatOptions().WithSkill("ocr"));
        Assert.Equal(5, response.Usage!.OutputTokenCount);
        Assert.Equal("seven", Property(response, AndesChatOptionKeys.Adapter));
    }

    /// <summary>A property of the response: M.E.AI merges the last update's properties into the response or its message.</summary>
    private static object? Property(ChatResponse response, string key) =>
        response.AdditionalProperties?.TryGetValue(key, out object? value) == true ? value
        : response.Messages.Select(m => m.AdditionalProperties?.GetValueOrDefault(key)).LastOrDefault(v => v is not null);

    private string Decode(int[] tokens) => fixture.Model.Tokenizer.Decode(tokens, skipSpecialTokens: true).Trim();
}
