using Andes.Agents.Gui;
using Microsoft.Extensions.AI;

namespace Andes.Agents.Gui.Tests.Grounding;

public sealed class GroundingPromptTests
{
    [Fact]
    public void PromptsAreAndesVLsEvaluationTextsWordForWord()
    {
        Assert.Equal(
            "You are a GUI agent. You are given a task and a screenshot of the screen. You need to locate and generate the bounding box coordinate of the target area that corresponds to the command.",
            GroundingPrompt.SystemPrompt);
        Assert.Equal(
            "Please locate and generate the bounding box coordinate of the target area or component corresponds to the following instruction: <|object_ref_start|>the OK button<|object_ref_end|>",
            GroundingPrompt.FormatInstruction("the OK button"));
        Assert.Equal("请给出坐标为<|box_start|>(10,20),(30,40)<|box_end|>的控件名称。", GroundingPrompt.FormatReferring(new ModelBox(10, 20, 30, 40)));
    }

    [Fact]
    public void MessagesCarryTheImageBeforeTheInstruction()
    {
        var image = new DataContent(new byte[] { 1, 2, 3 }, "image/png");
        List<ChatMessage> messages = GroundingPrompt.CreateMessages("Save", image);
        Assert.Equal(2, messages.Count);
        Assert.Equal(ChatRole.System, messages[0].Role);
        Assert.Equal(GroundingPrompt.SystemPrompt, messages[0].Text);
        Assert.Equal(ChatRole.User, messages[1].Role);
        Assert.Same(image, messages[1].Contents[0]);
        Assert.Equal("\n" + GroundingPrompt.FormatInstruction("Save"), Assert.IsType<TextContent>(messages[1].Contents[1]).Text);
        Assert.Single(GroundingPrompt.CreateMessages("Save", image, includeSystemPrompt: false));
    }

    [Fact]
    public void EmptyInstructionIsRejected()
        => Assert.Throws<ArgumentException>(() => GroundingPrompt.FormatInstruction("  "));
}
