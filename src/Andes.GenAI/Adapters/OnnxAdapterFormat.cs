using System.Buffers.Binary;
using System.Text;
using Google.FlatBuffers;

namespace Andes.GenAI;

/// <summary>
/// ONNX Runtime's <c>.onnx_adapter</c> file: a FlatBuffer with file identifier <c>TORT</c> whose root table is
/// <c>Adapter { format_version:int (0); adapter_version:int (1); model_version:int (2); parameters:[Parameter] (3) }</c>
/// and <c>Parameter { name:string (0); dims:[int64] (1); data_type:int32 TensorProto enum (2);
/// raw_data:[uint8] aligned to 8 (3) }</c> (field ids in parentheses), as in onnxruntime/lora/adapter_format.
/// Written with <see cref="FlatBufferBuilder"/>; read by hand with bounds checks (only what validation needs).
/// </summary>
internal static class OnnxAdapterFormat
{
    /// <summary>The file identifier.</summary>
    public const string FileIdentifier = "TORT";

    /// <summary>The only format version ONNX Runtime 1.20+ reads.</summary>
    public const int FormatVersion = 1;

    /// <summary>TensorProto's FLOAT.</summary>
    public const int Float = 1;

    /// <summary>The usual file extension.</summary>
    public const string Extension = ".onnx_adapter";

    /// <summary>Builds the file's bytes.</summary>
    /// <param name="parameters">The float32 parameters.</param>
    /// <param name="adapterVersion">The adapter's own version number.</param>
    /// <param name="modelVersion">The base model identity (see <see cref="LoraModelManifest.ModelVersion"/>); 0 unknown.</param>
    public static byte[] Write(IReadOnlyList<LoraParameter> parameters, int adapterVersion, int modelVersion)
    {
        long dataBytes = parameters.Sum(p => (long)p.Data.Length * sizeof(float));
        if (dataBytes > int.MaxValue / 2)
        {
            throw new NotSupportedException($"The adapter holds {dataBytes} bytes of parameters; a FlatBuffer holds at most 2 GB.");
        }

        var builder = new FlatBufferBuilder((int)Math.Max(1024, dataBytes + (parameters.Count * 256) + 1024));
        var offsets = new Offset<ParameterTag>[parameters.Count];
        for (int i = 0; i < parameters.Count; i++)
        {
            LoraParameter p = parameters[i];
            StringOffset name = builder.CreateString(p.Name);

            builder.StartVector(sizeof(long), p.Dims.Length, sizeof(long));
            for (int d = p.Dims.Length - 1; d >= 0; d--)
            {
                builder.AddLong(p.Dims[d]);
            }

            VectorOffset dims = builder.EndVector();

            builder.StartVector(1, p.Data.Length * sizeof(float), 8);
            builder.Add(new ArraySegment<float>(p.Data));
            VectorOffset data = builder.EndVector();

            builder.StartTable(4);
            builder.AddOffset(3, data.Value, 0);
            builder.AddInt(2, Float, 0);
            builder.AddOffset(1, dims.Value, 0);
            builder.AddOffset(0, name.Value, 0);
            offsets[i] = new Offset<ParameterTag>(builder.EndTable());
        }

        VectorOffset list = builder.CreateVectorOfTables(offsets);
        builder.StartTable(4);
        builder.AddOffset(3, list.Value, 0);
        builder.AddInt(2, modelVersion, 0);
        builder.AddInt(1, adapterVersion, 0);
        builder.AddInt(0, FormatVersion, 0);
        int root = builder.EndTable();
        builder.Finish(root, FileIdentifier);
        return builder.SizedByteArray();
    }

    /// <summary>Reads the header and the parameter descriptions of an adapter file (no data is copied).</summary>
    /// <param name="bytes">The whole file.</param>
    /// <param name="source">The file name for messages.</param>
    /// <exception cref="LoraAdapterException">Not a valid <c>.onnx_adapter</c> file.</exception>
    public static Contents Read(ReadOnlySpan<byte> bytes, string source)
    {
        var r = new Reader(bytes, source);
        if (bytes.Length < 8 || !bytes.Slice(4, 4).SequenceEqual("TORT"u8))
        {
            throw new LoraAdapterException($"'{source}' is not an ONNX Runtime adapter file (no 'TORT' FlatBuffer identifier).", source, null);
        }

        int root = r.Position(0, r.U32(0));
        int formatVersion = r.IntField(root, 0);
        if (formatVersion != FormatVersion)
        {
            throw new LoraAdapterException($"'{source}' has adapter format version {formatVersion}; ONNX Runtime reads version {FormatVersion}.", source, null);
        }

        var parameters = new List<ParameterEntry>();
        if (r.OffsetField(root, 3) is int list)
        {
            int count = r.VectorLength(list);
            r.Check(list + 4L, 4L * count);
            for (int i = 0; i < count; i++)
            {
                int slot = list + 4 + (4 * i);
                int table = r.Position(slot, r.U32(slot));
                string name = r.OffsetField(table, 0) is int s ? r.String(s) : string.Empty;
                long[] dims = [];
                if (r.OffsetField(table, 1) is int dimVector)
                {
                    int n = r.VectorLength(dimVector);
                    r.Check(dimVector + 4, (long)n * 8);
                    dims = new long[n];
                    for (int d = 0; d < n; d++)
                    {
                        dims[d] = BinaryPrimitives.ReadInt64LittleEndian(bytes[(dimVector + 4 + (8 * d))..]);
                    }
                }

                int dataType = r.IntField(table, 2);
                int dataOffset = 0, dataLength = 0;
                if (r.OffsetField(table, 3) is int data)
                {
                    dataLength = r.VectorLength(data);
                    dataOffset = data + 4;
                    r.Check(dataOffset, dataLength);
                }

                parameters.Add(new ParameterEntry(name, dims, dataType, dataOffset, dataLength));
            }
        }

        return new Contents(formatVersion, r.IntField(root, 1), r.IntField(root, 2), parameters);
    }

    /// <summary>What an adapter file holds.</summary>
    public sealed record Contents(int FormatVersion, int AdapterVersion, int ModelVersion, IReadOnlyList<ParameterEntry> Parameters);

    /// <summary>One parameter: its name, dims, TensorProto data type and where its raw data lies in the file.</summary>
    public sealed record ParameterEntry(string Name, long[] Dims, int DataType, int DataOffset, int DataLength);

    /// <summary>A marker type for typed table offsets.</summary>
    private readonly struct ParameterTag
    {
    }

    private readonly ref struct Reader(ReadOnlySpan<byte> bytes, string source)
    {
        private readonly ReadOnlySpan<byte> _bytes = bytes;

        public uint U32(int at)
        {
            Check(at, 4);
            return BinaryPrimitives.ReadUInt32LittleEndian(_bytes[at..]);
        }

        public int Position(int from, uint relative)
        {
            long target = from + (long)relative;
            Check(target, 4);
            return (int)target;
        }

        /// <summary>The absolute position of a table's field, or null when the field is absent.</summary>
        public int? Field(int table, int id)
        {
            Check(table, 4);
            long vtable = table - (long)BinaryPrimitives.ReadInt32LittleEndian(_bytes[table..]);
            Check(vtable, 4);
            int vtableSize = BinaryPrimitives.ReadUInt16LittleEndian(_bytes[(int)vtable..]);
            int entry = 4 + (2 * id);
            if (entry + 2 > vtableSize)
            {
                return null;
            }

            Check(vtable + entry, 2);
            int offset = BinaryPrimitives.ReadUInt16LittleEndian(_bytes[(int)(vtable + entry)..]);
            return offset == 0 ? null : table + offset;
        }

        public int IntField(int table, int id)
        {
            if (Field(table, id) is not int at)
            {
                return 0;
            }

            Check(at, 4);
            return BinaryPrimitives.ReadInt32LittleEndian(_bytes[at..]);
        }

        public int? OffsetField(int table, int id) => Field(table, id) is int at ? Position(at, U32(at)) : null;

        public int VectorLength(int vector)
        {
            // A FlatBuffer is at most 2 GB, so a length of 2^31 or more is corruption, not a reason to overflow.
            uint length = U32(vector);
            if (length > int.MaxValue)
            {
                throw new LoraAdapterException($"'{source}' is a corrupt adapter file (a vector at offset {vector} claims {length} elements).", source, null);
            }

            return (int)length;
        }

        public string String(int at)
        {
            int length = VectorLength(at);
            Check(at + 4, length);
            return Encoding.UTF8.GetString(_bytes.Slice(at + 4, length));
        }

        public void Check(long at, long length)
        {
            if (at < 0 || length < 0 || at + length > _bytes.Length)
            {
                throw new LoraAdapterException($"'{source}' is a truncated or corrupt adapter file (an offset points outside its {_bytes.Length} bytes).", source, null);
            }
        }
    }
}
