using Andes.GenAI;
using Andes.GenAI.Tests.Vision;
using Andes.ModelBuilder;
using Andes.Testing;
using Andes.Testing.Reference;
using Microsoft.Extensions.AI;
using Xunit.Abstractions;

namespace Andes.GenAI.Tests.Generation;

/// <summary>Prompts with images through the engine (encode, vision graph, feature scatter, decoder) against the reference forward.</summary>
public sealed class ImagePromptTests(TinyModelFixture fixture, ITestOutputHelper output) : IClassFixture<TinyModelFixture>
{
    private const int Pad = 151654;

    internal static DataContent Png(string name) => new(VisionFixtures.ReadBytes(Path.Combine("inputs", name)), "image/png") { Name = name };

    internal static ChatPrompt TwoImagePrompt(AIContent first, AIContent second) => AndesChatTemplate.Default.Render(
        [new ChatMessage(ChatRole.User, [first, new TextContent("and"), second, new TextContent("What differs?")])],
        new ChatTemplateOptions());

    [Fact]
    public void ImagesExpandToStartPadsEndWithTheirTokenCounts()
    {
        EncodedPrompt encoded = fixture.Model.Encode(TwoImagePrompt(Png("text_300x200.png"), Png("square_56x56.png")));
        Assert.Equal(2, encoded.Images.Count);
        int[] ids = encoded.Ids.ToArray();
        foreach (PromptImage image in encoded.Images)
        {
            Assert.Equal(fixture.Model.ImageProcessor!.GetGeometry(image.Width, image.Height), image.Geometry);
            Assert.Equal(151652, ids[image.Offset - 1]);
            Assert.All(ids.AsSpan(image.Offset, image.TokenCount).ToArray(), id => Assert.Equal(Pad, id));
            Assert.Equal(151653, ids[image.Offset + image.TokenCount]);
        }

        Assert.Equal((300, 200), (encoded.Images[0].Width, encoded.Images[0].Height));
        Assert.Equal(encoded.ImageTokenCount, ids.Count(id => id == Pad));

        // Text around the images tokenises as it does alone.
        int[] textOnly = fixture.Model.EncodePrompt(AndesChatTemplate.Default.Render([new ChatMessage(ChatRole.User, "What differs?")], new ChatTemplateOptions()));
        Assert.Equal(textOnly[^8..], ids[^8..]);
    }

    [Fact]
    public void LogitsOfATwoImagePromptMatchTheReferenceOnTheSamePatches()
    {
        AndesModel model = fixture.Model;
        EncodedPrompt encoded = model.Encode(TwoImagePrompt(new DataContent(VisionFixtures.ReadBytes(Path.Combine("inputs", "photo_120x90.jpg")), "image/jpeg"), Png("text_300x200.png")));
        AndesVLConfig config = AndesVLConfig.Load(TestModels.TinyCheckpoint);
        using SafeTensorsCheckpoint source = SafeTensorsCheckpoint.Open(TestModels.TinyCheckpoint);
        Func<string, float[]?> weights = ReferenceWeights.FromTensorSource(source);
        var vision = new AimV2ReferenceModel(config.VisionConfig!, config.TextConfig.HiddenSize, weights);
        var text = new Qwen3ReferenceModel(config.TextConfig, weights);

        // Reference features from the engine's own preprocessing (fixture-tested against Pillow separately).
        var features = new List<float[]>();
        foreach (string file in new[] { "photo_120x90.jpg", "text_300x200.png" })
        {
            using ProcessedImage processed = model.ImageProcessor!.ProcessFile(Path.Combine(VisionFixtures.Directory, "inputs", file));
            features.AddRange(vision.Forward(processed.PixelValues.Span, [(processed.GridHeight, processed.GridWidth)]));
        }

        int[] ids = encoded.Ids.ToArray();
        float[][] rows = text.Embed(ids);
        for (int i = 0, next = 0; i < ids.Length; i++)
        {
            if (ids[i] == Pad)
            {
                rows[i] = features[next++];
            }
        }

        float[] expected = text.CreateSession().ForwardEmbeddingsLast(rows);
        using var generator = new Generator(model, new GenerationOptions { Temperature = 0 });
        generator.AppendPrompt(encoded);
        double diff = LogitAssert.MaxAbsDiff(expected, generator.GetLogits());
        float[] textOnly = text.CreateSession().ForwardLast(ids);
        output.WriteLine($"{encoded.Length} tokens, {encoded.ImageTokenCount} image tokens: max logit diff {diff:G3}; images move logits by {LogitAssert.MaxAbsDiff(expected, textOnly):G3}");
        Assert.True(diff <= 1e-4, $"logits differ from the reference by {diff:G3}");
        Assert.True(LogitAssert.MaxAbsDiff(expected, textOnly) > 0.1, "the images should change the logits");
    }

    [Fact]
    public void AppendTokensWithFeaturesEqualsAppendPrompt()
    {
        AndesModel model = fixture.Model;
        EncodedPrompt encoded = model.Encode(TwoImagePrompt(Png("noise_100x60.png"), Png("square_56x56.png")));
        var rows = new List<float>();
        foreach (string file in new[] { "noise_100x60.png", "square_56x56.png" })
        {
            using ProcessedImage processed = model.ImageProcessor!.ProcessFile(Path.Combine(VisionFixtures.Directory, "inputs", file));
            rows.AddRange(model.EncodeImage(processed).Values.ToArray());
        }

        using var a = new Generator(model, new GenerationOptions { Temperature = 0 });
        a.AppendPrompt(encoded);
        using var b = new Generator(model, new GenerationOptions { Temperature = 0 });
        b.AppendTokens(encoded.Ids.Span, rows.ToArray());
        Assert.Equal(a.GetLogits().ToArray(), b.GetLogits().ToArray());

        using var c = new Generator(model, new GenerationOptions());
        var ex = Assert.Throws<ArgumentException>(() => c.AppendTokens(encoded.Ids.Span));
        Assert.Contains($"{encoded.ImageTokenCount} image placeholder(s)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RawPixelsGiveTheSameLogitsAsTheEncodedImage()
    {
        AndesModel model = fixture.Model;
        byte[] rgb = VisionFixtures.ReadBytes(Path.Combine("decoded", "square_56x56.rgb"));
        byte[] bgra = new byte[56 * 56 * 4];
        for (int i = 0; i < 56 * 56; i++)
        {
            (bgra[4 * i], bgra[(4 * i) + 1], bgra[(4 * i) + 2], bgra[(4 * i) + 3]) = (rgb[(3 * i) + 2], rgb[(3 * i) + 1], rgb[3 * i], 255);
        }

        DataContent raw = RawPixelContent.Create(bgra, 56, 56, ImagePixelFormat.Bgra32);
        Assert.Equal("image/x-raw; format=bgra32; width=56; height=56; stride=224", raw.MediaType);
        float[] Logits(AIContent image)
        {
            using var g = new Generator(model, new GenerationOptions { Temperature = 0 });
            g.AppendPrompt(model.Encode(AndesChatTemplate.Default.Render([new ChatMessage(ChatRole.User, [image, new TextContent("Describe.")])], new ChatTemplateOptions())));
            return g.GetLogits().ToArray();
        }

        Assert.Equal(Logits(Png("square_56x56.png")), Logits(raw));
    }

    [Fact]
    public void APromptOverTheContextNamesEachImageAndItsTokensOrIsDownscaledWhenAllowed()
    {
        AndesModel model = fixture.Model;
        byte[] pixels = new byte[3000 * 2000 * 3];
        new Random(3).NextBytes(pixels);
        ChatPrompt prompt = AndesChatTemplate.Default.Render(
            [new ChatMessage(ChatRole.User, [RawPixelContent.Create(pixels, 3000, 2000, ImagePixelFormat.Rgb24), new TextContent("Read it.")])], new ChatTemplateOptions());
        var options = new PromptEncodingOptions { ImageMaxSize = 3000 };
        var ex = Assert.Throws<PromptTooLongException>(() => model.Encode(prompt, options));
        PromptImage image = Assert.Single(ex.Images);
        Assert.True(image.TokenCount > model.ContextLength, $"{image.TokenCount} tokens");
        Assert.Contains($"image 1 (image/x-raw, {pixels.Length} bytes): 3000 x 2000", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"{image.TokenCount} tokens", ex.Message, StringComparison.Ordinal);
        Assert.Contains("DownscaleImagesToFit", ex.Message, StringComparison.Ordinal);

        options.DownscaleImagesToFit = true;
        EncodedPrompt fitted = model.Encode(prompt, options);
        Assert.True(fitted.Length < model.ContextLength);
        Assert.True(fitted.Length > model.ContextLength * 0.7, $"down-scaling went too far: {fitted.Length} tokens");
        output.WriteLine($"3000 x 2000 at max_size 3000: {image.TokenCount} tokens; down-scaled to {fitted.Images[0].Geometry.PaddedWidth} x {fitted.Images[0].Geometry.PaddedHeight}, {fitted.ImageTokenCount} tokens");
    }

    [Fact]
    public void ABombHeaderIsRejectedFromTheHeaderBeforeAnyPixelMemory()
    {
        // A PNG signature and IHDR that claim 100000 x 100000 pixels, and nothing else.
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, (byte)'I', (byte)'H', (byte)'D', (byte)'R', 0, 1, 0x86, 0xA0, 0, 1, 0x86, 0xA0, 8, 2, 0, 0, 0, 0, 0, 0, 0];
        ChatPrompt prompt = AndesChatTemplate.Default.Render(
            [new ChatMessage(ChatRole.User, [new DataContent(png, "image/png") { Name = "bomb.png" }, new TextContent("?")])], new ChatTemplateOptions());
        long before = GC.GetAllocatedBytesForCurrentThread();
        var ex = Assert.Throws<InvalidImageException>(() => fixture.Model.Encode(prompt));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(ImageErrorKind.TooLarge, ex.Kind);
        Assert.Contains("bomb.png", ex.Message, StringComparison.Ordinal);
        Assert.Contains("100000 x 100000", ex.Message, StringComparison.Ordinal);
        Assert.True(allocated < 1 << 20, $"{allocated} bytes allocated before rejecting");
    }

    [Theory]
    [InlineData("empty", ImageErrorKind.Empty)]
    [InlineData("truncated", ImageErrorKind.Truncated)]
    [InlineData("text", ImageErrorKind.UnsupportedFormat)]
    public void BadImagesGiveATypedErrorNamingTheImage(string kind, ImageErrorKind expected)
    {
        byte[] good = VisionFixtures.ReadBytes(Path.Combine("inputs", "noise_100x60.png"));
        byte[] data = kind switch
        {
            "empty" => [],
            "truncated" => good[..(good.Length / 2)],
            _ => "hello, not an image"u8.ToArray(),
        };
        var content = new DataContent(data, "image/png") { Name = $"{kind}.png" };
        ChatPrompt prompt = AndesChatTemplate.Default.Render([new ChatMessage(ChatRole.User, [content, new TextContent("?")])], new ChatTemplateOptions());

        // Truncation may only show when decoding: encoding measures from the header, running the prompt decodes.
        InvalidImageException ex = Assert.Throws<InvalidImageException>(() =>
        {
            EncodedPrompt encoded = fixture.Model.Encode(prompt);
            using var g = new Generator(fixture.Model, new GenerationOptions());
            g.AppendPrompt(encoded);
        });
        Assert.Equal(expected, ex.Kind);
        Assert.Contains($"{kind}.png", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FileUrisAreReadAndOtherUrisRejected()
    {
        string path = Path.Combine(VisionFixtures.Directory, "inputs", "square_56x56.png");
        EncodedPrompt encoded = fixture.Model.Encode(AndesChatTemplate.Default.Render(
            [new ChatMessage(ChatRole.User, [new UriContent(new Uri(path), "image/png"), new TextContent("?")])], new ChatTemplateOptions()));
        Assert.Contains(path, encoded.Images[0].Name, StringComparison.Ordinal);
        EncodedPrompt fromBytes = fixture.Model.Encode(AndesChatTemplate.Default.Render(
            [new ChatMessage(ChatRole.User, [Png("square_56x56.png"), new TextContent("?")])], new ChatTemplateOptions()));
        Assert.Equal(fromBytes.Ids.ToArray(), encoded.Ids.ToArray());
        Assert.Equal(fromBytes.Images[0].ContentHash, encoded.Images[0].ContentHash);

        var ex = Assert.Throws<ArgumentException>(() => fixture.Model.Encode(AndesChatTemplate.Default.Render(
            [new ChatMessage(ChatRole.User, [new UriContent(new Uri("https://example.com/a.png"), "image/png"), new TextContent("?")])], new ChatTemplateOptions())));
        Assert.Contains("https://example.com/a.png", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RawPixelMediaTypesWithBadParametersAreRejectedNamingTheParameter()
    {
        // The shared convention (Andes.Abstractions) reports a malformed media type as a FormatException; the engine, as
        // an InvalidImageException of kind InvalidPixelBuffer naming the image.
        var content = new DataContent(new byte[12], "image/x-raw; format=argb64; width=2; height=2");
        var format = Assert.Throws<FormatException>(() => RawPixelContent.TryGetLayout(content, out _));
        Assert.Contains("'format'", format.Message, StringComparison.Ordinal);
        InvalidImageException ex = Encode(content);
        Assert.Equal(ImageErrorKind.InvalidPixelBuffer, ex.Kind);
        Assert.Contains("'format'", ex.Message, StringComparison.Ordinal);
        content = new DataContent(new byte[12], "image/x-raw; format=rgb24; width=2");
        Assert.Contains("'height' is missing", Encode(content).Message, StringComparison.Ordinal);
        content = new DataContent(new byte[11], "image/x-raw; format=rgb24; width=2; height=2");
        Assert.Equal(ImageErrorKind.InvalidPixelBuffer, Encode(content).Kind);

        InvalidImageException Encode(DataContent image) => Assert.Throws<InvalidImageException>(() => fixture.Model.Encode(AndesChatTemplate.Default.Render(
            [new ChatMessage(ChatRole.User, [image, new TextContent("?")])], new ChatTemplateOptions())));
    }
}
