using System.Buffers.Binary;
using System.Collections;
using System.Reflection;
using System.Runtime.ExceptionServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Andes.GenAI;
using Microsoft.Extensions.AI;

namespace Andes.Testing.Fuzzing;

/// <summary>Fuzz targets of the engine's parsers: tool-call output, adapters, <c>genai_config.json</c> and images.</summary>
public static class GenAIFuzzTargets
{
    private static readonly string[] ToolCallSeeds =
    [
        "<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}}\n</tool_call>",
        "<think>\nNeed weather.\n</think>\n\nLet me check.\n<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}}\n</tool_call>\n<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"上海\", \"unit\": \"celsius\"}}\n</tool_call>",
        "<tool_call>\n{\"name\": \"f\", \"arguments\": \"{\\\"a\\\": 1, \\\"b\\\": [true, null, 2.5]}\"}\n</tool_call>",
        "<tool_call>{\"name\": \"f\", \"parameters\": {\"a\": true}}</tool_call><tool_call>{\"name\": \"g\"}</tool_call>",
        "<tool_call>\n{\"name\": \"search\", \"arguments\": {\"query\": \"emoji 😀 and 𠮷\", \"filters\": {\"tags\": [\"a\", \"b\"], \"limit\": 10}}}\n</tool_call>\n\nDone.",
        "Sure.\n<tool_call>\n{\"name\": \"f\", \"arguments\": {\"a\": 1}}\n",
        "<think>\nA <think> B\n</think>\n\nPlain answer with a < b and </tool_call> stray.",
    ];

    /// <summary>
    /// <see cref="AndesOutputParser"/> over whole and chunked output: never throws; a malformed call carries a
    /// <see cref="ToolCallFormatException"/>; a parsed call's name and arguments are readable text.
    /// </summary>
    public static IFuzzTarget ToolCalls() => new FuzzTarget<string>(
        "tool-call text (AndesOutputParser)",
        [],
        () => ToolCallSeeds,
        (random, seed, seeds) => random.Next(2) == 0 ? TextMutator.Mutate(random, seed, seeds) : MutateCallJson(random, seed),
        text =>
        {
            // Two chunkings of the same text: whole, and pieces of 1-8 characters (surrogate pairs may be split).
            string whole = CheckCalls(Parse(text, [text.Length]));
            var chunking = new Random(text.Length);
            var sizes = new List<int>();
            for (int done = 0; done < text.Length; done += sizes[^1])
            {
                sizes.Add(Math.Min(text.Length - done, 1 + chunking.Next(8)));
            }

            CheckCalls(Parse(text, sizes));
            return whole;
        },
        FuzzReport.Escape);

    /// <summary>A PEFT adapter folder loaded on the tiny LoRA model (<see cref="LoraAdapter.Load"/>): <see cref="LoraAdapterException"/> only.</summary>
    public static IFuzzTarget PeftAdapterFolders()
    {
        var temp = TemporaryDirectory.InMemory();
        var model = new Lazy<AndesModel>(() => AndesModel.Load(TestModels.TinyFp32LoraModel));
        int next = 0;
        return new FuzzTarget<(byte[]? Config, byte[]? Weights)>(
            "PEFT adapter folders (LoraAdapter.Load)",
            [typeof(LoraAdapterException)],
            () =>
            {
                _ = model.Value;
                var seeds = new List<(byte[]?, byte[]?)>();
                foreach (string folder in new[] { TestModels.TinyPeftAdapter(1), TestModels.TinyPeftAdapter(2, rank: 2, targets: LoraTargets.QProj | LoraTargets.VProj | LoraTargets.DownProj, useRsLora: true) })
                {
                    seeds.Add((File.ReadAllBytes(Path.Combine(folder, "adapter_config.json")), File.ReadAllBytes(Path.Combine(folder, "adapter_model.safetensors"))));
                }

                // The first adapter again with per-module patterns, so rank_pattern and alpha_pattern are read.
                JsonNode config = JsonNode.Parse(seeds[0].Item1!)!;
                config["rank_pattern"] = new JsonObject { ["q_proj"] = 4, ["layers\\.0\\..*v_proj"] = 4 };
                config["alpha_pattern"] = new JsonObject { ["down_proj"] = 16.0 };
                seeds.Add((Encoding.UTF8.GetBytes(config.ToJsonString()), seeds[0].Item2));
                return seeds;
            },
            (random, seed, _) => random.Next(20) switch
            {
                0 => (null, seed.Weights),
                1 => (seed.Config, null),
                < 10 => (JsonMutator.Mutate(random, seed.Config!), seed.Weights),
                _ => (seed.Config, SafeTensorsBytes.Mutate(random, seed.Weights!)),
            },
            input =>
            {
                string dir = Path.Combine(temp.Path, $"peft-{next++}");
                Directory.CreateDirectory(dir);
                try
                {
                    if (input.Config is { } config)
                    {
                        File.WriteAllBytes(Path.Combine(dir, "adapter_config.json"), config);
                    }

                    if (input.Weights is { } weights)
                    {
                        File.WriteAllBytes(Path.Combine(dir, "adapter_model.safetensors"), weights);
                    }

                    using LoraAdapter adapter = LoraAdapter.Load(model.Value, dir);
                    return "loaded";
                }
                finally
                {
                    Directory.Delete(dir, recursive: true);
                }
            },
            input => $"adapter_config.json: {Show(input.Config)}\nadapter_model.safetensors header: {SafeTensorsBytes.ShowHeader(input.Weights)}",
            () =>
            {
                if (model.IsValueCreated)
                {
                    model.Value.Dispose();
                }

                temp.Dispose();
            });
    }

    /// <summary>An <c>.onnx_adapter</c> file loaded on the tiny LoRA model (<see cref="LoraAdapter.Load"/>): <see cref="LoraAdapterException"/> only.</summary>
    public static IFuzzTarget OnnxAdapterFiles()
    {
        var temp = TemporaryDirectory.InMemory();
        var model = new Lazy<AndesModel>(() => AndesModel.Load(TestModels.TinyFp32LoraModel));
        int next = 0;
        return new FuzzTarget<byte[]>(
            ".onnx_adapter files (LoraAdapter.Load)",
            [typeof(LoraAdapterException)],
            () =>
            {
                _ = model.Value;
                var seeds = new List<byte[]>();
                foreach (string folder in new[] { TestModels.TinyPeftAdapter(1), TestModels.TinyPeftAdapter(2, rank: 2, targets: LoraTargets.QProj | LoraTargets.VProj | LoraTargets.DownProj, useRsLora: true) })
                {
                    string file = Path.Combine(temp.Path, $"seed-{seeds.Count}.onnx_adapter");
                    LoraAdapterConverter.Convert(folder, TestModels.TinyFp32LoraModel, file);
                    seeds.Add(File.ReadAllBytes(file));
                }

                return seeds;
            },
            (random, seed, _) => random.Next(2) == 0 ? ByteMutator.OverwriteAlignedUInt32(random, seed) : ByteMutator.Mutate(random, seed),
            bytes =>
            {
                string file = Path.Combine(temp.Path, $"{next++}.onnx_adapter");
                File.WriteAllBytes(file, bytes);
                try
                {
                    using LoraAdapter adapter = LoraAdapter.Load(model.Value, file);
                    return "loaded";
                }
                finally
                {
                    File.Delete(file);
                }
            },
            bytes => $"{bytes.Length} bytes: {Convert.ToHexString(bytes.AsSpan(0, Math.Min(bytes.Length, 96)))}",
            () =>
            {
                if (model.IsValueCreated)
                {
                    model.Value.Dispose();
                }

                temp.Dispose();
            });
    }

    /// <summary>
    /// <c>genai_config.json</c> (<see cref="GenAIConfig.Load"/>): <see cref="ModelConfigurationException"/> only, and a
    /// loaded configuration has no null where its properties are declared non-null.
    /// </summary>
    public static IFuzzTarget GenAIConfigFiles()
    {
        var temp = TemporaryDirectory.InMemory();
        string file = Path.Combine(temp.Path, "genai_config.json");
        return new FuzzTarget<byte[]>(
            "genai_config.json (GenAIConfig.Load)",
            [typeof(ModelConfigurationException)],
            () =>
            {
                byte[] tiny = File.ReadAllBytes(Path.Combine(TestModels.TinyFp32Model, "genai_config.json"));
                JsonNode rich = JsonNode.Parse(tiny)!;
                JsonNode decoder = rich["model"]!["decoder"]!;
                decoder["session_options"] = new JsonObject
                {
                    ["intra_op_num_threads"] = 2,
                    ["log_id"] = "fuzz",
                    ["provider_options"] = new JsonArray(new JsonObject { ["qnn"] = new JsonObject { ["backend_path"] = "QnnHtp.dll" } }),
                    ["session.custom"] = "1",
                };
                decoder["run_options"] = new JsonObject { ["key"] = "value" };
                return [tiny, Encoding.UTF8.GetBytes(rich.ToJsonString())];
            },
            (random, seed, _) => JsonMutator.Mutate(random, seed),
            bytes =>
            {
                File.WriteAllBytes(file, bytes);
                GenAIConfig config = GenAIConfig.Load(file);
                CheckDeclaredNulls(config, new NullabilityInfoContext());
                return "loaded";
            },
            Show,
            temp.Dispose);
    }

    /// <summary>Images (<see cref="ImageDecoder.Decode"/>): <see cref="InvalidImageException"/> only.</summary>
    public static IFuzzTarget Images() => new FuzzTarget<byte[]>(
        "images (ImageDecoder.Decode)",
        [typeof(InvalidImageException)],
        () => new[] { "gradient_37x23.png", "grey_33x29.png", "palette_40x30.png", "photo_97x61.jpg", "pixel_1x1.png", "square_56x56.png", "tiny_20x14.png", "bitmap_45x33.bmp", "anim_50x40.gif" }
            .Select(name => File.ReadAllBytes(TestImages.Path(name))).ToList(),
        (random, seed, _) => ByteMutator.Mutate(random, seed),
        bytes =>
        {
            _ = ImageDecoder.Decode(bytes, "fuzz");
            return "decoded";
        },
        bytes => $"{bytes.Length} bytes: {Convert.ToHexString(bytes.AsSpan(0, Math.Min(bytes.Length, 64)))}");

    /// <summary><c>tokenizer.json</c> (<see cref="AndesTokenizer.Create(Stream)"/>): <see cref="InvalidDataException"/> or <see cref="NotSupportedException"/> only.</summary>
    public static IFuzzTarget TokenizerFiles() => new FuzzTarget<byte[]>(
        "tokenizer.json (AndesTokenizer.Create)",
        [typeof(InvalidDataException), typeof(NotSupportedException)],
        () => [SmallTokenizerJson(normalizeNfc: true), SmallTokenizerJson(normalizeNfc: false)],
        (random, seed, _) => JsonMutator.Mutate(random, seed),
        bytes =>
        {
            _ = AndesTokenizer.Create(new MemoryStream(bytes));
            return "loaded";
        },
        Show);

    /// <summary>
    /// A byte-level BPE tokenizer small enough to parse thousands of times a second (the 256 byte tokens, a few merges,
    /// two added tokens), written by the engine's own writer.
    /// </summary>
    private static byte[] SmallTokenizerJson(bool normalizeNfc)
    {
        char space = ByteLevelAlphabet.ByteToChar[' '];
        var vocabulary = Enumerable.Range(0, 256).Select(b => new KeyValuePair<string, int>(ByteLevelAlphabet.ByteToChar[b].ToString(), b)).ToList();
        List<string> merges = ["h e", "l l", "he ll", "hell o", $"{space} w", "o r", $"{space}w or", "l d", $"{space}wor ld"];
        foreach (string merge in merges)
        {
            vocabulary.Add(new(merge.Replace(" ", string.Empty, StringComparison.Ordinal), vocabulary.Count));
        }

        var data = new TokenizerData
        {
            Vocabulary = vocabulary,
            Merges = merges,
            AddedTokens = [new AddedToken(vocabulary.Count, "<|im_start|>", special: true), new AddedToken(vocabulary.Count + 1, "<tool_call>", special: false)],
            NormalizeNfc = normalizeNfc,
            Source = "fuzz seed",
        };
        using var stream = new MemoryStream();
        TokenizerFileWriter.Write(data, stream);
        return stream.ToArray();
    }

    private static string Show(byte[]? bytes) => bytes is null ? "(missing)" : FuzzReport.Escape(Encoding.UTF8.GetString(bytes));

    private static string MutateCallJson(Random random, string text)
    {
        int open = text.IndexOf("<tool_call>", StringComparison.Ordinal);
        if (open < 0)
        {
            return text;
        }

        int start = open + "<tool_call>".Length;
        int close = text.IndexOf("</tool_call>", start, StringComparison.Ordinal);
        close = close < 0 ? text.Length : close;
        byte[] mutated = JsonMutator.Mutate(random, Encoding.UTF8.GetBytes(text[start..close]));
        return text[..start] + Encoding.UTF8.GetString(mutated) + text[close..];
    }

    private static List<AIContent> Parse(string text, IReadOnlyList<int> chunks)
    {
        var parser = new AndesOutputParser(new AndesOutputParserOptions { StartsInReasoning = text.Length % 3 == 0, CallIdFactory = () => "call" });
        var contents = new List<AIContent>();
        int at = 0;
        foreach (int size in chunks)
        {
            parser.Append(text.AsSpan(at, size), contents);
            at += size;
        }

        parser.Complete(contents);
        return contents;
    }

    private static string CheckCalls(List<AIContent> contents)
    {
        string label = "no call";
        foreach (FunctionCallContent call in contents.OfType<FunctionCallContent>())
        {
            if (HasLoneSurrogate(call.Name))
            {
                throw new FuzzInvariantException($"A call's name '{FuzzReport.Escape(call.Name)}' holds a lone surrogate.");
            }

            if (call.Exception is { } exception)
            {
                if (exception is not ToolCallFormatException)
                {
                    ExceptionDispatchInfo.Throw(exception);
                }

                label = "call failed (ToolCallFormatException)";
                continue;
            }

            if (call.Name.Length == 0 || call.Arguments is null)
            {
                throw new FuzzInvariantException("A call without an exception has no name or no arguments.");
            }

            foreach ((string key, object? value) in call.Arguments)
            {
                if (HasLoneSurrogate(key))
                {
                    throw new FuzzInvariantException($"An argument name '{FuzzReport.Escape(key)}' holds a lone surrogate.");
                }

                if (value is JsonElement element)
                {
                    ReadAll(element); // what a tool's argument binding does; throws InvalidOperationException on unreadable strings
                }
            }

            label = label == "no call" ? "call parsed" : label;
        }

        return label;
    }

    private static void ReadAll(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                _ = element.GetString();
                break;
            case JsonValueKind.Array:
                foreach (JsonElement item in element.EnumerateArray())
                {
                    ReadAll(item);
                }

                break;
            case JsonValueKind.Object:
                foreach (JsonProperty property in element.EnumerateObject())
                {
                    _ = property.Name;
                    ReadAll(property.Value);
                }

                break;
        }
    }

    private static bool HasLoneSurrogate(string text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Fails when a property of the loaded configuration declared non-null (no <c>?</c>) holds null, at any depth.</summary>
    private static void CheckDeclaredNulls(object config, NullabilityInfoContext context)
    {
        Check(config, null, "genai_config");

        void Check(object? value, NullabilityInfo? info, string path)
        {
            if (value is null)
            {
                if (info?.ReadState == NullabilityState.NotNull)
                {
                    throw new FuzzInvariantException($"GenAIConfig.Load returned '{path}' = null, a property declared non-null.");
                }

                return;
            }

            switch (value)
            {
                case string or JsonElement or ValueType:
                    return;
                case IDictionary dictionary:
                    foreach (DictionaryEntry entry in dictionary)
                    {
                        Check(entry.Value, info?.GenericTypeArguments.ElementAtOrDefault(1), $"{path}.{entry.Key}");
                    }

                    return;
                case IList list:
                    for (int i = 0; i < list.Count; i++)
                    {
                        Check(list[i], info?.ElementType ?? info?.GenericTypeArguments.ElementAtOrDefault(0), $"{path}[{i}]");
                    }

                    return;
            }

            foreach (PropertyInfo property in value.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                if (property.GetIndexParameters().Length == 0)
                {
                    Check(property.GetValue(value), context.Create(property), $"{path}.{property.Name}");
                }
            }
        }
    }
}

/// <summary>Mutations of safetensors files that reach the JSON header's readers (the length prefix kept consistent).</summary>
public static class SafeTensorsBytes
{
    /// <summary>Mutates the header as JSON (length prefix updated, most of the time) or the whole file as bytes.</summary>
    public static byte[] Mutate(Random random, byte[] file)
    {
        if (file.Length < 8 || random.Next(3) == 0)
        {
            return ByteMutator.Mutate(random, file);
        }

        ulong length = BinaryPrimitives.ReadUInt64LittleEndian(file);
        if (length > (ulong)(file.Length - 8))
        {
            return ByteMutator.Mutate(random, file);
        }

        byte[] header = JsonMutator.Mutate(random, file[8..(8 + (int)length)]);
        byte[] result = [.. new byte[8], .. header, .. file.AsSpan(8 + (int)length)];
        BinaryPrimitives.WriteUInt64LittleEndian(result, random.Next(8) == 0 ? length : (ulong)header.Length);
        return result;
    }

    /// <summary>The JSON header of a safetensors file, printable, for reports.</summary>
    public static string ShowHeader(byte[]? file)
    {
        if (file is null)
        {
            return "(missing)";
        }

        if (file.Length < 8)
        {
            return Convert.ToHexString(file);
        }

        ulong length = BinaryPrimitives.ReadUInt64LittleEndian(file);
        int shown = (int)Math.Min(length, (ulong)(file.Length - 8));
        return $"length {length}, {FuzzReport.Escape(Encoding.UTF8.GetString(file, 8, shown))}";
    }
}
