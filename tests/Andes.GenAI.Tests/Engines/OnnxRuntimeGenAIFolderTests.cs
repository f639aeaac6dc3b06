using System.Runtime.InteropServices;
using Andes.GenAI;
using Andes.GenAI.Tests.Generation;
using Andes.ModelBuilder;
using Andes.Testing;
using Microsoft.Extensions.AI;
using Oga = Microsoft.ML.OnnxRuntimeGenAI;

namespace Andes.GenAI.Tests.Engines;

/// <summary>
/// ONNX Runtime GenAI itself, through its own API and its own greedy search (not Andes's engine wrapper), on every kind
/// of folder <c>andes convert</c> writes, unmodified: its greedy ids equal the Andes engine's.
/// </summary>
public sealed class OnnxRuntimeGenAIFolderTests
{
    private static readonly int[] Prompt = [151644, 872, 198, 9707, 11, 1246, 525, 498, 30, 151645, 198, 151644, 77091, 198];

    public static TheoryData<string> Folders => ["fp32", "int4", "fp32-lora"];

    [Theory]
    [MemberData(nameof(Folders))]
    public void VisionFolderLoadsAndDecodesTextLikeAndes(string kind)
    {
        string folder = kind switch
        {
            "fp32" => TestModels.TinyFp32Model,
            "int4" => TestModels.TinyInt4Model,
            _ => TestModels.TinyFp32LoraModel,
        };
        using var model = new Oga.Model(folder);
        Assert.Equal("phi3v", model.GetModelType());
        Assert.Equal(AndesGreedy(folder, Prompt, 16), NativeGreedy(model, Prompt, 16));
    }

    [Fact]
    public void TextOnlyFolderLoadsAsQwen3AndDecodesLikeAndes()
    {
        using TemporaryDirectory temp = TestModels.CreateTemporaryDirectory();
        string folder = Path.Combine(temp.Path, "model");
        ModelConverter.Convert(TestModels.TinyTextCheckpoint, folder, TestModels.Int4Options);

        using var model = new Oga.Model(folder);
        Assert.Equal("qwen3", model.GetModelType());
        Assert.Equal(AndesGreedy(folder, Prompt, 16), NativeGreedy(model, Prompt, 16));
    }

    [Theory]
    [InlineData("noise_100x60.png")]
    [InlineData("noise_100x60.png", "tall_30x260.png")]
    public void ImagesFedAsPatchesDecodeLikeAndes(params string[] images)
    {
        string folder = TestModels.TinyInt4Model;
        using AndesModel andes = AndesModel.Load(folder);
        List<AIContent> contents = [.. images.Select(i => (AIContent)new DataContent(File.ReadAllBytes(TestImages.Path(i)), "image/png")), new TextContent("Describe.")];
        EncodedPrompt encoded = andes.Encode(AndesChatTemplate.Default.Render([new ChatMessage(ChatRole.User, contents)]));
        int[] expected = GeneratorTests.GenerateAll(andes, encoded, new GenerationOptions { MaxNewTokens = 12, StopTokenIds = [] });

        // Andes's preprocessing; ONNX Runtime GenAI runs vision, embedding and decoder.
        var patches = new List<float>();
        var grid = new List<long>();
        long tokens = 0;
        foreach (PromptImage image in encoded.Images)
        {
            using ProcessedImage processed = image.Preprocess();
            patches.AddRange(processed.PixelValues.ToArray());
            grid.AddRange([1, processed.GridHeight, processed.GridWidth]);
            tokens += processed.TokenCount;
        }

        using var model = new Oga.Model(folder);
        using var parameters = new Oga.GeneratorParams(model);
        parameters.SetSearchOption("max_length", 4096);
        parameters.SetSearchOption("do_sample", false);
        using var generator = new Oga.Generator(model, parameters);
        float[] pixels = [.. patches];
        long[] gridThw = [.. grid];
        long[] count = [tokens];
        GCHandle[] pins = [GCHandle.Alloc(pixels, GCHandleType.Pinned), GCHandle.Alloc(gridThw, GCHandleType.Pinned), GCHandle.Alloc(count, GCHandleType.Pinned)];
        try
        {
            int patchDim = encoded.Images[0].Geometry.PatchDimension;
            using var pixelTensor = new Oga.Tensor(pins[0].AddrOfPinnedObject(), [pixels.Length / patchDim, patchDim], Oga.ElementType.float32);
            using var gridTensor = new Oga.Tensor(pins[1].AddrOfPinnedObject(), [images.Length, 3], Oga.ElementType.int64);
            using var countTensor = new Oga.Tensor(pins[2].AddrOfPinnedObject(), [1], Oga.ElementType.int64);
            generator.SetModelInput("pixel_values", pixelTensor);
            generator.SetModelInput("image_grid_thw", gridTensor);
            generator.SetModelInput("num_image_tokens", countTensor);
            generator.AppendTokens(encoded.Ids.Span);
        }
        finally
        {
            foreach (GCHandle pin in pins)
            {
                pin.Free();
            }
        }

        var actual = new List<int>();
        for (int i = 0; i < expected.Length; i++)
        {
            generator.GenerateNextToken();
            actual.Add(generator.GetNextTokens()[0]);
        }

        Assert.Equal(expected, actual);
    }

    [Fact]
    public void TokenizerReadsOurTokenizerJsonWithTheSameIds()
    {
        using var model = new Oga.Model(TestModels.TinyInt4Model);
        using var tokenizer = new Oga.Tokenizer(model);
        using AndesModel andes = AndesModel.Load(TestModels.TinyInt4Model);
        const string text = "<|im_start|>user\nHello, 世界! <tool_call>{\"a\": 1}</tool_call><|im_end|>";
        using Oga.Sequences sequences = tokenizer.Encode(text);
        var ours = new List<int>();
        andes.Tokenizer.EncodeToIds(text, ours);
        Assert.Equal(ours, sequences[0].ToArray());
        Assert.Equal(151657, tokenizer.GetBotTokenId());
        Assert.Equal(151658, tokenizer.GetEotTokenId());
    }

    private static int[] AndesGreedy(string folder, int[] prompt, int count)
    {
        using AndesModel model = AndesModel.Load(folder);
        return GeneratorTests.GenerateAll(model, prompt, new GenerationOptions { MaxNewTokens = count, StopTokenIds = [] });
    }

    /// <summary>ONNX Runtime GenAI's own greedy search (its <c>GenerateNextToken</c>), end-of-sequence ignored as above.</summary>
    private static int[] NativeGreedy(Oga.Model model, int[] prompt, int count)
    {
        using var parameters = new Oga.GeneratorParams(model);
        parameters.SetSearchOption("max_length", prompt.Length + count);
        parameters.SetSearchOption("do_sample", false);
        using var generator = new Oga.Generator(model, parameters);
        generator.AppendTokens(prompt);
        var tokens = new List<int>();
        while (tokens.Count < count && !generator.IsDone())
        {
            generator.GenerateNextToken();
            tokens.Add(generator.GetNextTokens()[0]);
        }

        return [.. tokens];
    }
}
