using System.Text.Json;
using Andes.Testing;

namespace Andes.Cli.Tests.Commands;

/// <summary>andes chat: mistakes print and the chat goes on; chat commands are not sent to the model; Ctrl+C stops an answer.</summary>
public sealed class ChatCommandTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    [Fact]
    public void ErrorsAndChatCommandsDoNotEndTheConversation()
    {
        using TemporaryDirectory temp = TestModels.CreateTemporaryDirectory();
        string notAnImage = Path.Combine(temp.Path, "notes.txt"), saved = Path.Combine(temp.Path, "chat.json");
        File.WriteAllText(notAnImage, "not an image");
        string input = string.Join('\n', "hello", "", "   ", "/help", "/image " + Path.Combine(temp.Path, "missing.png"), "/image " + notAnImage, "/bogus",
            "//slash first", "/save " + saved, "/reset", "/load " + saved, "again", "/exit", "never sent") + "\n";
        var (code, output, error) = CliRunner.RunWithInput(input, "chat", "--model", TestModels.TinyFp32Model, "--max-tokens", "4", "--greedy");

        Assert.True(code == 0, error);
        Assert.Equal(3, CountOf(output, "andes> ")); // hello, /slash first, again: no empty turn, no /help, nothing after /exit
        Assert.Contains("you> hello", output, StringComparison.Ordinal); // piped input is echoed
        Assert.Contains("/reset        forget the conversation", output, StringComparison.Ordinal);
        string[] errors = error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, errors.Length);
        Assert.All(errors, line => Assert.StartsWith("error: ", line, StringComparison.Ordinal));
        Assert.Contains("missing.png: the file does not exist", errors[0], StringComparison.Ordinal);
        Assert.Contains("notes.txt", errors[1], StringComparison.Ordinal);
        Assert.Contains("/bogus: not a chat command", errors[2], StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);

        using JsonDocument conversation = JsonDocument.Parse(File.ReadAllText(saved));
        JsonElement[] messages = [.. conversation.RootElement.EnumerateArray()];
        Assert.Equal(["user", "assistant", "user", "assistant"], messages.Select(m => m.GetProperty("role").GetString()));
        Assert.Equal("/slash first", messages[2].GetProperty("contents")[0].GetProperty("text").GetString());
        Assert.Contains("loaded 4 messages", output, StringComparison.Ordinal);
    }

    [Fact]
    public void CtrlCStopsTheAnswerAndTheChatGoesOn()
    {
        using var chat = new CliSession("chat", "--model", TestModels.TinyFp32Model, "--max-tokens", "4000", "--greedy");
        chat.WaitForOutput(o => o.Contains("you> ", StringComparison.Ordinal), Patience);
        chat.WriteLine("tell me a long story");
        chat.WaitForOutput(o => o.Contains("andes> ", StringComparison.Ordinal), Patience);
        chat.Interrupt();
        chat.WaitForOutput(o => o.Contains("(stopped", StringComparison.Ordinal), Patience);
        chat.WriteLine("/save " + Path.Combine(Path.GetTempPath(), "andes-test-never-written", "x.json")); // an error, printed
        chat.WriteLine("/exit");
        Assert.Equal(0, chat.WaitForExit(Patience));
        Assert.Contains("error: ", chat.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void CtrlCAtThePromptQuits()
    {
        using var chat = new CliSession("chat", "--model", TestModels.TinyFp32Model);
        chat.WaitForOutput(o => o.Contains("you> ", StringComparison.Ordinal), Patience);
        chat.Interrupt();
        Assert.Equal(130, chat.WaitForExit(Patience));
    }

    private static int CountOf(string text, string value)
    {
        int count = 0;
        for (int i = text.IndexOf(value, StringComparison.Ordinal); i >= 0; i = text.IndexOf(value, i + value.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
