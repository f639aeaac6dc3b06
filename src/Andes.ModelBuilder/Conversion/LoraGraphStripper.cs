using Andes.ModelBuilder;
namespace Andes.ModelBuilder;

/// <summary>
/// Derives the base decoder from a decoder with LoRA branches: each branch's nodes, inputs and initializers are
/// removed and its base linear writes the branch's output name directly, so the result is node for node the graph a
/// conversion without LoRA targets writes (and computes bit-identical logits), on the same weights file.
/// </summary>
internal static class LoraGraphStripper
{
    /// <summary>Removes the branches and, when given, undoes the 2-D activation layout (see <see cref="ConversionContext.FlatReshapes"/>).</summary>
    public static void Strip(GraphProto graph, IReadOnlyList<LoraBranch> branches, IReadOnlySet<string>? flatReshapes = null, IReadOnlyDictionary<string, string>? shapeSubstitutions = null)
    {
        Unflatten(graph, flatReshapes, shapeSubstitutions);
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

    /// <summary>Bypasses the 2-D layout's Reshape nodes, restores the head norms' 3-D shapes, and drops what is left unused.</summary>
    private static void Unflatten(GraphProto graph, IReadOnlySet<string>? flatReshapes, IReadOnlyDictionary<string, string>? shapeSubstitutions)
    {
        if (flatReshapes is not { Count: > 0 })
        {
            return;
        }

        var bypass = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = graph.Node.Count - 1; i >= 0; i--)
        {
            NodeProto node = graph.Node[i];
            if (node.OpType == "Reshape" && node.Output.Count == 1 && flatReshapes.Contains(node.Output[0]))
            {
                bypass[node.Output[0]] = node.Input[0];
                graph.Node.RemoveAt(i);
            }
        }

        foreach (NodeProto node in graph.Node)
        {
            for (int j = 0; j < node.Input.Count; j++)
            {
                while (bypass.TryGetValue(node.Input[j], out string? source))
                {
                    node.Input[j] = source;
                }
            }

            if (node.OpType == "Reshape" && node.Output.Count == 1 && shapeSubstitutions?.TryGetValue(node.Output[0], out string? shape) == true)
            {
                node.Input[1] = shape;
            }
        }

        // Nodes and initializers only the 2-D layout used (the shape computations) are now unused.
        var graphOutputs = new HashSet<string>(graph.Output.Select(o => o.Name), StringComparer.Ordinal);
        bool removed = true;
        while (removed)
        {
            var consumed = new HashSet<string>(graph.Node.SelectMany(n => n.Input), StringComparer.Ordinal);
            removed = false;
            for (int i = graph.Node.Count - 1; i >= 0; i--)
            {
                if (graph.Node[i].Output.All(o => o.Length == 0 || (!consumed.Contains(o) && !graphOutputs.Contains(o))))
                {
                    graph.Node.RemoveAt(i);
                    removed = true;
                }
            }
        }

        var used = new HashSet<string>(graph.Node.SelectMany(n => n.Input), StringComparer.Ordinal);
        var inputs = new HashSet<string>(graph.Input.Select(v => v.Name), StringComparer.Ordinal);
        RemoveWhere(graph.Initializer, t => !used.Contains(t.Name) && !inputs.Contains(t.Name) && t.Name.StartsWith("const_", StringComparison.Ordinal));
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
