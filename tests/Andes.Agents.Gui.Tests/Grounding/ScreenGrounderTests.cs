using Andes.Agents.Gui;
using Andes.Agents.Gui.Tests.TestSupport;
using Microsoft.Extensions.AI;

namespace Andes.Agents.Gui.Tests.Grounding;

public sealed class ScreenGrounderTests
{
    private static ScreenFrame Frame(int width, int height, ScreenRectangle bounds)
        => new(new BgraImage(width, height), bounds, 1.0, DateTimeOffset.UnixEpoch);

    [Fact]
    public async Task LocatesATargetOnAMonitorWithANegativeOrigin()
    {
        ScreenFrame frame = Frame(1280, 720, new ScreenRectangle(-1280, -200, 1280, 720));
        var truth = new ImageBox(100, 600, 180, 640);
        var client = new ScriptedChatClient((messages, _) =>
        {
            var mapper = new CoordinateMapper(ImageGeometry.Compute(1280, 720), ModelCoordinateSystem.AndesVL, frame.Bounds);
            return GroundingAnswerWriter.WriteBox(GroundingAnswerWriter.RoundInward(mapper.ToModel(truth)));
        });
        var grounder = new ScreenGrounder(client, new GroundingOptions { SkillName = GuiSkill.DefaultName });

        GroundingResult result = await grounder.LocateAsync(frame, "the OK button");

        Assert.True(truth.Contains(result.ImageTarget));
        (int x, int y) = result.ScreenTarget.ToPixel();
        Assert.InRange(x, -1280 + 100, -1280 + 180);
        Assert.InRange(y, -200 + 600, -200 + 640);
        Assert.NotNull(result.ScreenBox);

        (IReadOnlyList<ChatMessage> messages, ChatOptions? options) = Assert.Single(client.Requests);
        Assert.Equal(GroundingPrompt.SystemPrompt, messages[0].Text);
        DataContent image = ScriptedChatClient.LastImage(messages);
        Assert.Equal("image/png", image.MediaType);
        Assert.Equal(new ImageInfo(1280, 720, "image/png"), ImageInfo.Read(image.Data.Span));
        Assert.Contains("<|object_ref_start|>the OK button<|object_ref_end|>", messages[1].Text, StringComparison.Ordinal);
        Assert.Equal("gui", options.GetSkill());
        Assert.Equal(0f, options!.Temperature);
    }

    [Fact]
    public async Task OutOfRangeAnswersThrowATypedErrorNamingTheAnswer()
    {
        var grounder = new ScreenGrounder(new ScriptedChatClient("<|box_start|>(100,200),(1500,300)<|box_end|>"));
        var e = await Assert.ThrowsAsync<GroundingAnswerException>(() => grounder.LocateAsync(Frame(640, 480, new ScreenRectangle(0, 0, 640, 480)), "x"));
        Assert.Equal(GroundingFailureReason.OutOfRange, e.Reason);
        Assert.Contains("1500", e.Message, StringComparison.Ordinal);
        Assert.Equal("<|box_start|>(100,200),(1500,300)<|box_end|>", e.Answer);
    }

    [Fact]
    public void ChatOptionsAreClonedAndConfigured()
    {
        var template = new ChatOptions { MaxOutputTokens = 10 };
        var options = new GroundingOptions { ChatOptions = template, SkillName = "gui", ConfigureChatOptions = o => o.TopK = 3 };
        ChatOptions created = options.CreateChatOptions();
        Assert.NotSame(template, created);
        Assert.Equal(10, created.MaxOutputTokens);
        Assert.Equal(3, created.TopK);
        Assert.Equal("gui", created.GetSkill());
        Assert.Null(template.GetSkill());

        // The image size goes last, so the engine sizes images as the mapping assumes even if the hook set another.
        Assert.Equal(733, created.AdditionalProperties![AndesChatOptionKeys.ImageMaxSize]);
        options.ConfigureChatOptions = o => (o.AdditionalProperties ??= [])[AndesChatOptionKeys.ImageMaxSize] = 99;
        options.Sizing = new ImageSizingOptions { MaxSize = 1792 };
        Assert.Equal(1792, options.CreateChatOptions().AdditionalProperties![AndesChatOptionKeys.ImageMaxSize]);
        Assert.Null(template.AdditionalProperties);
    }
}
