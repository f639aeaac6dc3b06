using Andes.Agents.Gui;
namespace Andes.Agents.Gui.Tests.Agent;

public sealed class SafetyPolicyTests
{
    private static SafetyContext Context(string? target = null, string? field = null) => new("do things", target, field);

    [Fact]
    public void ClicksOutsideTheAllowedRegionAreBlocked()
    {
        var policy = new SafetyPolicy(new SafetyPolicyOptions { AllowedRegion = new ScreenRectangle(-100, 0, 200, 100) });
        Assert.Equal(SafetyVerdict.Allow, policy.Evaluate(new ClickAction(new ScreenPoint(-100, 0)), Context()).Verdict);
        Assert.Equal(SafetyVerdict.Allow, policy.Evaluate(new ClickAction(new ScreenPoint(99.9, 99.9)), Context()).Verdict);
        SafetyDecision d = policy.Evaluate(new ClickAction(new ScreenPoint(100, 50)), Context());
        Assert.Equal(SafetyVerdict.Block, d.Verdict);
        Assert.Contains("outside the allowed region", d.Reason, StringComparison.Ordinal);
        Assert.Equal(SafetyVerdict.Block, policy.Evaluate(new DragAction(new ScreenPoint(0, 0), new ScreenPoint(0, 500)), Context()).Verdict);
        Assert.Equal(SafetyVerdict.Block, policy.Evaluate(new ScrollAction(new ScreenPoint(-101, 5), ScrollDirection.Down), Context()).Verdict);
        Assert.Equal(SafetyVerdict.Allow, policy.Evaluate(new ScrollAction(null, ScrollDirection.Down), Context()).Verdict);
    }

    [Theory]
    [InlineData("Click the Send button", true)]
    [InlineData("Press 'Delete account'", true)]
    [InlineData("click on Pay now", true)]
    [InlineData("I will click Purchase", true)]
    [InlineData("Submitting the form", true)]
    [InlineData("点击发送按钮", true)]
    [InlineData("Click the Sender field", false)]
    [InlineData("Open the Settings menu", false)]
    [InlineData(null, false)]
    public void SensitiveTargetsNeedConfirmation(string? target, bool sensitive)
    {
        var policy = new SafetyPolicy();
        SafetyDecision d = policy.Evaluate(new ClickAction(default), Context(target));
        Assert.Equal(sensitive ? SafetyVerdict.RequireConfirmation : SafetyVerdict.Allow, d.Verdict);
    }

    [Fact]
    public void TypingIntoPasswordFieldsNeedsConfirmation()
    {
        var policy = new SafetyPolicy();
        Assert.Equal(SafetyVerdict.RequireConfirmation, policy.Evaluate(new TypeTextAction("hunter2"), Context(field: "Click the Password field")).Verdict);
        Assert.Equal(SafetyVerdict.RequireConfirmation, policy.Evaluate(new TypeTextAction("1234"), Context(target: "Enter the PIN")).Verdict);
        Assert.Equal(SafetyVerdict.Allow, policy.Evaluate(new TypeTextAction("hello"), Context(field: "Click the search box")).Verdict);
        Assert.Equal(SafetyVerdict.Block, new SafetyPolicy(new SafetyPolicyOptions { MaxTypedLength = 3 }).Evaluate(new TypeTextAction("hello"), Context()).Verdict);
        Assert.Equal(SafetyVerdict.RequireConfirmation, new SafetyPolicy(new SafetyPolicyOptions { ConfirmAllTyping = true }).Evaluate(new TypeTextAction("x"), Context()).Verdict);
    }

    [Fact]
    public void HotkeysAreChecked()
    {
        var policy = new SafetyPolicy();
        Assert.Equal(SafetyVerdict.RequireConfirmation, policy.Evaluate(new HotkeyAction(KeyChord.Parse("alt f4")), Context()).Verdict);
        Assert.Equal(SafetyVerdict.Block, policy.Evaluate(new HotkeyAction(KeyChord.Parse("ctrl alt delete")), Context()).Verdict);
        Assert.Equal(SafetyVerdict.Allow, policy.Evaluate(new HotkeyAction(KeyChord.Parse("ctrl c")), Context()).Verdict);
    }
}
