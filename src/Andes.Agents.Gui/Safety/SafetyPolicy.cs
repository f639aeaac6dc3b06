using System.Globalization;
using System.Text.RegularExpressions;
using Andes.Agents.Gui;
namespace Andes.Agents.Gui;

/// <summary>
/// The default safety policy: blocks pointer actions outside the allowed region, blocked hotkeys and over-long text;
/// asks for confirmation before clicking targets described as send/delete/pay/purchase/submit/..., before typing into
/// fields described as passwords or other secrets, and before sensitive hotkeys.
/// </summary>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed class SafetyPolicy : ISafetyPolicy
{
    private readonly ScreenRectangle? _allowedRegion;
    private readonly Regex? _targetTerms;
    private readonly Regex? _fieldTerms;
    private readonly KeyChord[] _sensitiveHotkeys;
    private readonly KeyChord[] _blockedHotkeys;
    private readonly bool _confirmAllTyping;
    private readonly int _maxTypedLength;

    /// <summary>Creates the policy.</summary>
    /// <param name="options">Settings; null for the defaults (no region restriction).</param>
    public SafetyPolicy(SafetyPolicyOptions? options = null)
    {
        options ??= new SafetyPolicyOptions();
        _allowedRegion = options.AllowedRegion;
        _targetTerms = BuildMatcher(options.SensitiveTargetTerms);
        _fieldTerms = BuildMatcher(options.SensitiveFieldTerms);
        _sensitiveHotkeys = [.. options.SensitiveHotkeys];
        _blockedHotkeys = [.. options.BlockedHotkeys];
        _confirmAllTyping = options.ConfirmAllTyping;
        _maxTypedLength = options.MaxTypedLength;
    }

    /// <summary>The allowed region, if any.</summary>
    public ScreenRectangle? AllowedRegion => _allowedRegion;

    /// <inheritdoc />
    public SafetyDecision Evaluate(GuiAction action, SafetyContext context)
    {
        ArgumentNullException.ThrowIfNull(action);
        ArgumentNullException.ThrowIfNull(context);
        if (_allowedRegion is { } region)
        {
            foreach (ScreenPoint p in action.GetPointerPositions())
            {
                if (!region.Contains(p))
                {
                    return SafetyDecision.Block($"{action.Describe()} reaches {p}, outside the allowed region {region}.");
                }
            }
        }

        switch (action)
        {
            case ClickAction or DoubleClickAction or RightClickAction or DragAction:
                if (Match(_targetTerms, context.TargetDescription) is { } term)
                {
                    return SafetyDecision.Confirm($"The target \"{Shorten(context.TargetDescription!)}\" looks sensitive ('{term}').");
                }

                break;
            case TypeTextAction type:
                if (type.Text.Length > _maxTypedLength)
                {
                    return SafetyDecision.Block(string.Create(CultureInfo.InvariantCulture, $"The text to type has {type.Text.Length} characters; at most {_maxTypedLength} are allowed."));
                }

                if ((Match(_fieldTerms, context.FocusedFieldDescription) ?? Match(_fieldTerms, context.TargetDescription)) is { } field)
                {
                    return SafetyDecision.Confirm($"Typing into a field that looks secret ('{field}').");
                }

                if (_confirmAllTyping)
                {
                    return SafetyDecision.Confirm("Every typing action needs confirmation.");
                }

                break;
            case HotkeyAction hotkey:
                if (_blockedHotkeys.Contains(hotkey.Keys))
                {
                    return SafetyDecision.Block($"The hotkey {hotkey.Keys} is blocked.");
                }

                if (_sensitiveHotkeys.Contains(hotkey.Keys))
                {
                    return SafetyDecision.Confirm($"The hotkey {hotkey.Keys} can close or destroy things.");
                }

                break;
        }

        return SafetyDecision.Allow;
    }

    private static Regex? BuildMatcher(IList<string> terms)
    {
        var alternatives = new List<string>();
        foreach (string term in terms)
        {
            if (string.IsNullOrWhiteSpace(term))
            {
                continue;
            }

            string escaped = Regex.Escape(term.Trim());
            bool ascii = term.All(c => c < 128);
            alternatives.Add(ascii ? $@"\b{escaped}(?:s|es|d|ed|ing|ted|ting)?\b" : escaped);
        }

        return alternatives.Count == 0 ? null : new Regex(string.Join('|', alternatives), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
    }

    private static string? Match(Regex? matcher, string? text)
        => matcher is null || string.IsNullOrEmpty(text) ? null : matcher.Match(text) is { Success: true } m ? m.Value : null;

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..80] + "...";
}
