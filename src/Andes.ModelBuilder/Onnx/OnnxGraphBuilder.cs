using System.Runtime.InteropServices;
using Andes.ModelBuilder;
using Google.Protobuf;

namespace Andes.ModelBuilder;

/// <summary>
/// A small API for writing ONNX graphs: inputs and outputs with symbolic dimensions, initializers (inline when small,
/// streamed to an external data file when large), and nodes with attributes.
/// </summary>
/// <remarks>Not thread-safe.</remarks>
internal sealed class OnnxGraphBuilder : IDisposable
{
    /// <summary>Initializers at least this large go to the external data file.</summary>
    public const int ExternalThresholdBytes = 1024;

    /// <summary>The ONNX IR version written.</summary>
    public const long IrVersion = 10;

    /// <summary>The default-domain opset written.</summary>
    public const long DefaultOpset = 21;

    private readonly GraphProto _graph;
    private readonly ExternalDataWriter? _external;
    private readonly HashSet<string> _names;
    private readonly HashSet<string> _graphOutputs = new(StringComparer.Ordinal);
    private readonly string _nodePrefix = string.Empty;
    private int _nodeCounter;

    /// <summary>Creates a builder for one graph.</summary>
    /// <param name="graphName">The graph's name.</param>
    /// <param name="externalDataPath">Where to stream large initializers; null keeps everything inline.</param>
    public OnnxGraphBuilder(string graphName, string? externalDataPath)
    {
        _graph = new GraphProto { Name = graphName };
        _names = new HashSet<string>(StringComparer.Ordinal);
        if (externalDataPath is not null)
        {
            _external = new ExternalDataWriter(externalDataPath);
        }
    }

    private OnnxGraphBuilder(string graphName, HashSet<string> sharedNames)
    {
        _graph = new GraphProto { Name = graphName };
        _names = sharedNames;
        _nodePrefix = graphName + "/";
    }

    /// <summary>
    /// Creates the builder of a subgraph (the body of a Loop, the branches of an If): its values may read this graph's
    /// values by name (outer scope), and it shares this graph's name table so no name is defined twice. Its
    /// initializers stay inline. Pass <see cref="ToGraphProto"/> as a graph attribute.
    /// </summary>
    public OnnxGraphBuilder CreateSubgraph(string graphName) => new(graphName, _names);

    /// <summary>The graph built so far (for a subgraph: the value of a graph attribute).</summary>
    public GraphProto ToGraphProto() => _graph;

    /// <summary>The external data file, if any.</summary>
    public ExternalDataWriter? ExternalData => _external;

    /// <summary>Whether <paramref name="name"/> is already defined (in this graph or, for a subgraph, its outer graphs).</summary>
    public bool HasName(string name) => _names.Contains(name);

    /// <summary>Declares a graph input. Dimensions are <see cref="int"/>/<see cref="long"/> (fixed) or <see cref="string"/> (symbolic).</summary>
    public string Input(string name, int dataType, params object[] dims)
    {
        Claim(name);
        _graph.Input.Add(ValueInfo(name, dataType, dims));
        return name;
    }

    /// <summary>Declares a graph output.</summary>
    public string Output(string name, int dataType, params object[] dims)
    {
        _graphOutputs.Add(name);
        _graph.Output.Add(ValueInfo(name, dataType, dims));
        return name;
    }

    /// <summary>Adds a float initializer.</summary>
    public string Initializer(string name, ReadOnlySpan<float> values, params long[] dims)
        => Initializer(name, OnnxDataType.Float, MemoryMarshal.AsBytes(values), dims);

    /// <summary>Adds an int64 initializer of the given shape.</summary>
    public string Initializer(string name, ReadOnlySpan<long> values, long[] dims)
        => Initializer(name, OnnxDataType.Int64, MemoryMarshal.AsBytes(values), dims);

    /// <summary>Adds a 1-D int64 initializer (shapes, axes, slice bounds).</summary>
    public string Vector(string name, params long[] values) => Initializer(name, values, [values.Length]);

    /// <summary>Adds a scalar int64 initializer.</summary>
    public string Scalar(string name, long value) => Initializer(name, [value], []);

    /// <summary>Adds an initializer from raw little-endian bytes.</summary>
    public string Initializer(string name, int dataType, ReadOnlySpan<byte> raw, params long[] dims)
    {
        CheckSize(name, dataType, raw.Length, dims);
        Claim(name);
        TensorProto tensor = NewTensor(name, dataType, dims);
        if (_external is not null && raw.Length >= ExternalThresholdBytes)
        {
            _external.BeginTensor();
            _external.Append(raw);
            _external.EndTensor(tensor);
        }
        else
        {
            tensor.RawData = ByteString.CopyFrom(raw);
        }

        _graph.Initializer.Add(tensor);
        return name;
    }

    /// <summary>
    /// Adds a large initializer whose bytes are produced by <paramref name="write"/> in pieces (each piece passed to the
    /// given sink), so the whole tensor never sits in memory. Requires an external data file.
    /// </summary>
    public string StreamedInitializer(string name, int dataType, long[] dims, Action<Action<ReadOnlySpan<byte>>> write)
    {
        ExternalDataWriter external = _external ?? throw new InvalidOperationException("Streamed initializers need an external data file.");
        Claim(name);
        TensorProto tensor = NewTensor(name, dataType, dims);
        external.BeginTensor();
        long start = external.Length;
        write(bytes => external.Append(bytes));
        long written = external.Length - start;
        external.EndTensor(tensor);
        long expected = ElementCount(dims) * OnnxDataType.SizeOf(dataType);
        if (written != expected)
        {
            throw new InvalidOperationException($"Initializer '{name}': wrote {written} bytes, expected {expected} for shape [{string.Join(",", dims)}].");
        }

        _graph.Initializer.Add(tensor);
        return name;
    }

    /// <summary>Declares an existing initializer as also a graph input (an overridable initializer).</summary>
    public void ExposeInitializerAsInput(string name, int dataType, params object[] dims)
    {
        _graph.Input.Add(ValueInfo(name, dataType, dims));
    }

    /// <summary>Adds a node with one output, named after <paramref name="outputName"/> (made unique).</summary>
    public string Node(string opType, IReadOnlyList<string> inputs, string outputName, string domain = "", params (string Name, object Value)[] attributes)
        => Node(opType, inputs, [outputName], domain, attributes)[0];

    /// <summary>
    /// Adds a node with several outputs; an empty output name leaves that output unused. Names are made unique, except
    /// declared graph outputs, which keep their exact name.
    /// </summary>
    public string[] Node(string opType, IReadOnlyList<string> inputs, IReadOnlyList<string> outputNames, string domain = "", params (string Name, object Value)[] attributes)
    {
        var node = new NodeProto { OpType = opType, Domain = domain, Name = $"{_nodePrefix}{opType}_{_nodeCounter++}" };
        node.Input.AddRange(inputs);
        var outputs = new string[outputNames.Count];
        for (int i = 0; i < outputNames.Count; i++)
        {
            outputs[i] = outputNames[i].Length == 0 ? string.Empty : Unique(outputNames[i]);
        }

        node.Output.AddRange(outputs);
        foreach ((string attrName, object value) in attributes)
        {
            node.Attribute.Add(Attribute(attrName, value));
        }

        _graph.Node.Add(node);
        return outputs;
    }

    /// <summary>Finishes the model and writes it to <paramref name="modelPath"/>.</summary>
    public void Save(string modelPath, string producerVersion, IReadOnlyDictionary<string, string>? metadata = null)
    {
        _external?.Dispose();
        WriteModel(modelPath, _graph, producerVersion, metadata);
    }

    /// <summary>
    /// Writes a variant of the graph (after <see cref="Save"/>) to another model file: a copy edited by
    /// <paramref name="edit"/> that refers to the same external data file (weights are not written again).
    /// </summary>
    public void SaveVariant(string modelPath, string producerVersion, IReadOnlyDictionary<string, string>? metadata, Action<GraphProto> edit)
    {
        GraphProto copy = _graph.Clone();
        edit(copy);
        WriteModel(modelPath, copy, producerVersion, metadata);
    }

    private static void WriteModel(string modelPath, GraphProto graph, string producerVersion, IReadOnlyDictionary<string, string>? metadata)
    {
        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = "Andes.ModelBuilder",
            ProducerVersion = producerVersion,
            Graph = graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = DefaultOpset });
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "com.microsoft", Version = 1 });
        if (metadata is not null)
        {
            foreach ((string k, string v) in metadata)
            {
                model.MetadataProps.Add(new StringStringEntryProto { Key = k, Value = v });
            }
        }

        using var stream = new FileStream(modelPath, FileMode.Create, FileAccess.Write);
        model.WriteTo(stream);
    }

    /// <summary>The initializers stored in the external data file: name, ONNX data type, dims, byte offset and length.</summary>
    public IReadOnlyList<(string Name, int DataType, long[] Dims, long Offset, long Length)> ExternalTensors()
    {
        var result = new List<(string, int, long[], long, long)>();
        foreach (TensorProto t in _graph.Initializer)
        {
            if (t.DataLocation != TensorProto.Types.DataLocation.External)
            {
                continue;
            }

            long offset = long.Parse(t.ExternalData.Single(e => e.Key == "offset").Value, System.Globalization.CultureInfo.InvariantCulture);
            long length = long.Parse(t.ExternalData.Single(e => e.Key == "length").Value, System.Globalization.CultureInfo.InvariantCulture);
            result.Add((t.Name, t.DataType, [.. t.Dims], offset, length));
        }

        return result;
    }

    public void Dispose() => _external?.Dispose();

    private static TensorProto NewTensor(string name, int dataType, long[] dims)
    {
        var tensor = new TensorProto { Name = name, DataType = dataType };
        tensor.Dims.AddRange(dims);
        return tensor;
    }

    private static void CheckSize(string name, int dataType, int byteLength, long[] dims)
    {
        long expected = ElementCount(dims) * OnnxDataType.SizeOf(dataType);
        if (expected != byteLength)
        {
            throw new ArgumentException($"Initializer '{name}': {byteLength} bytes given, shape [{string.Join(",", dims)}] needs {expected}.");
        }
    }

    private static long ElementCount(long[] dims)
    {
        long n = 1;
        foreach (long d in dims)
        {
            n *= d;
        }

        return n;
    }

    private void Claim(string name)
    {
        if (!_names.Add(name))
        {
            throw new InvalidOperationException($"The name '{name}' is already used in graph '{_graph.Name}'.");
        }
    }

    private string Unique(string name)
    {
        if (_graphOutputs.Contains(name))
        {
            Claim(name);
            return name;
        }

        string candidate = name;
        for (int i = 1; !_names.Add(candidate); i++)
        {
            candidate = $"{name}_{i}";
        }

        return candidate;
    }

    private static ValueInfoProto ValueInfo(string name, int dataType, object[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (object d in dims)
        {
            shape.Dim.Add(d switch
            {
                string s => new TensorShapeProto.Types.Dimension { DimParam = s },
                int i => new TensorShapeProto.Types.Dimension { DimValue = i },
                long l => new TensorShapeProto.Types.Dimension { DimValue = l },
                _ => throw new ArgumentException($"Dimension '{d}' of '{name}' must be int, long or string."),
            });
        }

        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = dataType, Shape = shape } },
        };
    }

    private static AttributeProto Attribute(string name, object value)
    {
        var a = new AttributeProto { Name = name };
        switch (value)
        {
            case int i:
                a.Type = AttributeProto.Types.AttributeType.Int;
                a.I = i;
                break;
            case long l:
                a.Type = AttributeProto.Types.AttributeType.Int;
                a.I = l;
                break;
            case float f:
                a.Type = AttributeProto.Types.AttributeType.Float;
                a.F = f;
                break;
            case double d:
                a.Type = AttributeProto.Types.AttributeType.Float;
                a.F = (float)d;
                break;
            case string s:
                a.Type = AttributeProto.Types.AttributeType.String;
                a.S = ByteString.CopyFromUtf8(s);
                break;
            case long[] ls:
                a.Type = AttributeProto.Types.AttributeType.Ints;
                a.Ints.AddRange(ls);
                break;
            case int[] ints:
                a.Type = AttributeProto.Types.AttributeType.Ints;
                foreach (int x in ints)
                {
                    a.Ints.Add(x);
                }

                break;
            case float[] fs:
                a.Type = AttributeProto.Types.AttributeType.Floats;
                a.Floats.AddRange(fs);
                break;
            case TensorProto t:
                a.Type = AttributeProto.Types.AttributeType.Tensor;
                a.T = t;
                break;
            case GraphProto graph:
                a.Type = AttributeProto.Types.AttributeType.Graph;
                a.G = graph;
                break;
            default:
                throw new ArgumentException($"Attribute '{name}' has an unsupported value type {value.GetType().Name}.");
        }

        return a;
    }
}
