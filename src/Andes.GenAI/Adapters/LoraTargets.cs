namespace Andes.GenAI;

/// <summary>
/// The linear layers of each decoder layer that take LoRA inputs: the attention projections q/k/v/o and the MLP
/// projections gate/up/down (the names PEFT's <c>target_modules</c> use: <c>q_proj</c> ... <c>down_proj</c>).
/// </summary>
[Flags]
public enum LoraTargets
{
    /// <summary>No LoRA inputs: the decoder is exactly the base model.</summary>
    None = 0,

    /// <summary><c>self_attn.q_proj</c>.</summary>
    QProj = 1,

    /// <summary><c>self_attn.k_proj</c>.</summary>
    KProj = 2,

    /// <summary><c>self_attn.v_proj</c>.</summary>
    VProj = 4,

    /// <summary><c>self_attn.o_proj</c>.</summary>
    OProj = 8,

    /// <summary><c>mlp.gate_proj</c>.</summary>
    GateProj = 16,

    /// <summary><c>mlp.up_proj</c>.</summary>
    UpProj = 32,

    /// <summary><c>mlp.down_proj</c>.</summary>
    DownProj = 64,

    /// <summary>The four attention projections.</summary>
    Attention = QProj | KProj | VProj | OProj,

    /// <summary>The three MLP projections.</summary>
    Mlp = GateProj | UpProj | DownProj,

    /// <summary>All seven projections.</summary>
    All = Attention | Mlp,
}
