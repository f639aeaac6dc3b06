using Andes.ModelBuilder.Onnx.Proto;

namespace Andes.ModelBuilder.Conversion;

/// <summary>
/// Derives the base decoder from a decoder with LoRA branches: each branch's nodes, inputs and initializers are
/// removed and its base linear writes the branch's output name directly, so the result is node for node the graph a
/// conversion without LoRA targets writes (and computes bit-identical logits), on the same weights file.
/// </summary>
internal static class LoraGraphStripper
{
    public static void Strip(GraphProto graph, IReadOnlyList<LoraBranch> branches)
    {
        var removedOutputs = new HashSet<string>(branches.SelectMany(b => b.BranchOutputs), StringComparer.Ordinal);
        var renames = branches.ToDictionary(b => b.BaseOutput, b => b.Output, StringComparer.Ordinal);
        var loraTensors = new HashSet<string>(branches.SelectMany(b => new[] { b.A, b.B }), StringComparer.Ordinal);

        for (int i = graph.Node.Count - 1; i >= 0; i--)
        {
            NodeProto node = graph.Node[i];
            if (node.Output.Any(removedOutputs.Contains))
            {
                graph.Node.RemoveAt(i);
                continue;
            }

            for (int o = 0; o < node.Output.Count; o++)
            {
                if (renames.TryGetValue(node.Output[o], out string? renamed))
                {
                    node.Output[o] = renamed;
                }
            }
        }

        RemoveWhere(graph.Input, v => loraTensors.Contains(v.Name));
        RemoveWhere(graph.Initializer, t => loraTensors.Contains(t.Name));
        if (graph.Node.SelectMany(n => n.Input).FirstOrDefault(n => loraTensors.Contains(n) || renames.ContainsKey(n)) is { } dangling)
        {
            throw new InvalidOperationException($"Stripping the LoRA branches left '{dangling}' referenced in graph '{graph.Name}'.");
        }
    }

    private static void RemoveWhere<T>(Google.Protobuf.Collections.RepeatedField<T> items, Func<T, bool> predicate)
    {
        for (int i = items.Count - 1; i >= 0; i--)
        {
            if (predicate(items[i]))
            {
                items.RemoveAt(i);
            }
        }
    }
}
