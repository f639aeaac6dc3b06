namespace Andes.Agents.Gui;

/// <summary>The shape a grounding answer was written in.</summary>
public enum GroundingAnswerFormat
{
    /// <summary>AndesVL/Qwen2-VL special tokens: <c>&lt;|box_start|&gt;(x1,y1),(x2,y2)&lt;|box_end|&gt;</c>.</summary>
    BoxTokens,

    /// <summary>Bare parenthesised points: <c>(x1,y1),(x2,y2)</c> (tokens stripped on decode) or <c>(x,y)</c>.</summary>
    Parenthesized,

    /// <summary>Qwen2.5-VL JSON: <c>[{"bbox_2d": [x1, y1, x2, y2], "label": ...}]</c> or <c>"point_2d": [x, y]</c>, fenced or not.</summary>
    QwenJson,

    /// <summary>A bare bracketed list: <c>[x1, y1, x2, y2]</c> or <c>[x, y]</c>.</summary>
    BracketList,
}
