using Andes.Agents.Gui;
namespace Andes.Agents.Gui;

/// <summary>Settings of <see cref="SafetyPolicy"/>. Lists are copied when the policy is created.</summary>
public sealed class SafetyPolicyOptions
{
    /// <summary>
    /// The only desktop area the pointer may act in (a monitor, or a window's bounds); null for anywhere. Actions with
    /// any pointer position outside are blocked.
    /// </summary>
    public ScreenRectangle? AllowedRegion { get; set; }

    /// <summary>
    /// Words that make a click sensitive when the target's description contains them (whole words, any case; plural
    /// and -ed/-ing forms count; CJK terms match anywhere).
    /// </summary>
    public IList<string> SensitiveTargetTerms { get; set; } =
    [
        "send", "delete", "remove", "erase", "discard", "pay", "payment", "purchase", "buy", "order", "checkout",
        "submit", "transfer", "withdraw", "donate", "uninstall", "reset", "format", "unsubscribe", "publish", "post",
        "发送", "删除", "支付", "付款", "购买", "提交", "转账",
    ];

    /// <summary>Words that mark a field as secret: typing into it needs confirmation.</summary>
    public IList<string> SensitiveFieldTerms { get; set; } =
    [
        "password", "passcode", "passphrase", "pin", "pwd", "secret", "cvv", "cvc", "security code", "card number",
        "credit card", "ssn", "social security", "otp", "2fa", "verification code", "密码", "验证码",
    ];

    /// <summary>Hotkeys that need confirmation (closing windows, force deletes).</summary>
    public IList<KeyChord> SensitiveHotkeys { get; set; } =
    [
        KeyChord.Parse("alt+f4"), KeyChord.Parse("ctrl+w"), KeyChord.Parse("ctrl+q"), KeyChord.Parse("shift+delete"),
        KeyChord.Parse("meta+q"),
    ];

    /// <summary>Hotkeys that are never sent.</summary>
    public IList<KeyChord> BlockedHotkeys { get; set; } = [KeyChord.Parse("ctrl+alt+delete"), KeyChord.Parse("meta+l")];

    /// <summary>Whether every typing action needs confirmation.</summary>
    public bool ConfirmAllTyping { get; set; }

    /// <summary>Longest text one action may type (longer is blocked).</summary>
    public int MaxTypedLength { get; set; } = 4000;
}
