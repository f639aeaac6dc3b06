using Andes.Agents.Gui;
using Andes.Agents.Gui.Tests.TestSupport;
using Andes.GenAI;
using Microsoft.Extensions.AI;

namespace Andes.Agents.Gui.Tests.Capture;

/// <summary>Screen frames go to the Andes engine as raw BGRA pixels and to other clients as PNG.</summary>
public sealed class ImageTransportTests
{
    private static ScreenFrame PaddedFrame()
    {
        // A 30x20 frame with 8 bytes of padding per row (as captures with aligned strides have).
        var image = new BgraImage(new byte[(30 * 4 + 8) * 20], 30, 20, 30 * 4 + 8);
        var random = new Random(3);
        for (int y = 0; y < 20; y++)
        {
            random.NextBytes(image.GetRow(y));
        }

        return new ScreenFrame(image, new ScreenRectangle(100, 50, 30, 20), 1.0, DateTimeOffset.UnixEpoch);
    }

    private static ScriptedChatClient Client(string? provider) => new((_, _) => "<|box_start|>(400,400),(600,600)<|box_end|>")
    {
        Metadata = provider is null ? null : new ChatClientMetadata(provider),
    };

    [Theory]
    [InlineData("andes", ImageTransport.Auto, true)]
    [InlineData("openai", ImageTransport.Auto, false)]
    [InlineData(null, ImageTransport.Auto, false)]
    [InlineData("andes", ImageTransport.Png, false)]
    [InlineData("openai", ImageTransport.RawPixels, true)]
    public async Task TheGrounderSendsRawPixelsToTheEngineAndPngElsewhere(string? provider, ImageTransport transport, bool raw)
    {
        ScreenFrame frame = PaddedFrame();
        ScriptedChatClient client = Client(provider);
        var grounder = new ScreenGrounder(client, new GroundingOptions { Transport = transport });
        Assert.Equal(raw ? ImageTransport.RawPixels : ImageTransport.Png, grounder.Transport);

        GroundingResult result = await grounder.LocateAsync(frame, "the middle");
        Assert.Equal(115, result.ScreenTarget.X, 6);
        Assert.Equal(60, result.ScreenTarget.Y, 6);

        (IReadOnlyList<ChatMessage> messages, ChatOptions? options) = Assert.Single(client.Requests);
        DataContent image = ScriptedChatClient.LastImage(messages);
        Assert.Equal(733, options!.AdditionalProperties![AndesChatOptionKeys.ImageMaxSize]);
        if (!raw)
        {
            Assert.Equal("image/png", image.MediaType);
            AssertSamePixels(frame.Image, PngDecoder.Decode(image.Data.Span));
            return;
        }

        Assert.Equal("image/x-raw; format=bgra32; width=30; height=20; stride=128", image.MediaType);

        // No copy: the content is the frame's own buffer (up to the last row's padding), and the engine reads the layout.
        Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(image.Data, out ArraySegment<byte> segment));
        Assert.Same(frame.Image.Pixels, segment.Array);
        Assert.Equal(19 * 128 + 30 * 4, image.Data.Length);
        Assert.True(RawPixelContent.TryGetLayout(image, out RawPixelLayout layout));
        Assert.Equal((30, 20, ImagePixelFormat.Bgra32, 128), (layout.Width, layout.Height, layout.Format, layout.Stride));

        // The engine's processor takes the content's bytes as they are.
        using ProcessedImage processed = new ImageProcessor().Process(image.Data.Span, layout.Width, layout.Height, layout.Format, layout.Stride);
        Assert.Equal(ImageGeometry.Compute(30, 20).PaddedWidth, processed.Geometry.PaddedWidth);
    }

    [Fact]
    public void AutoSeesTheEngineThroughMiddleware()
    {
        using IChatClient wrapped = new ForwardingClient(Client("andes"));
        Assert.True(ImageTransportExtensions.IsAndesEngine(wrapped));
        Assert.Equal(ImageTransport.RawPixels, ImageTransport.Auto.Resolve(wrapped));
        Assert.Equal(ImageTransport.Png, ImageTransport.Auto.Resolve(Client("andes-oracle")));
    }

    [Fact]
    public void RawContentReadsBackInEveryEngineLayout()
    {
        ScreenFrame frame = PaddedFrame();
        Assert.True(RawFrameContent.TryRead(frame.ToRawDataContent(), out BgraImage? same));
        Assert.Same(frame.Image.Pixels, same!.Pixels);

        foreach (ImagePixelFormat format in new[] { ImagePixelFormat.Rgb24, ImagePixelFormat.Bgr24, ImagePixelFormat.Rgba32, ImagePixelFormat.Bgra32 })
        {
            // Pack the frame in the layout with the engine's own helper, then read it back here.
            int bpp = format is ImagePixelFormat.Rgb24 or ImagePixelFormat.Bgr24 ? 3 : 4;
            byte[] packed = new byte[30 * 20 * bpp];
            for (int y = 0; y < 20; y++)
            {
                for (int x = 0; x < 30; x++)
                {
                    BgraColor c = frame.Image.GetPixel(x, y);
                    byte[] p = format switch
                    {
                        ImagePixelFormat.Rgb24 => [c.R, c.G, c.B],
                        ImagePixelFormat.Bgr24 => [c.B, c.G, c.R],
                        ImagePixelFormat.Rgba32 => [c.R, c.G, c.B, c.A],
                        _ => [c.B, c.G, c.R, c.A],
                    };
                    p.CopyTo(packed, (y * 30 + x) * bpp);
                }
            }

            DataContent content = RawPixelContent.Create(packed.AsMemory(), 30, 20, format);
            Assert.True(RawFrameContent.TryRead(content, out BgraImage? read), format.ToString());
            AssertSamePixels(frame.Image, read!, alpha: bpp == 4);
        }

        Assert.False(RawFrameContent.TryRead(new DataContent(new byte[4], "image/png"), out _));
        var bad = Assert.Throws<InvalidDataException>(() => RawFrameContent.TryRead(new DataContent(new byte[16], "image/x-raw; format=bgra32; width=3; height=2"), out _));
        Assert.Contains("needs 24", bad.Message, StringComparison.Ordinal);
        bad = Assert.Throws<InvalidDataException>(() => RawFrameContent.TryRead(new DataContent(new byte[16], "image/x-raw; format=yuv; width=2; height=2"), out _));
        Assert.Contains("'format' is 'yuv'", bad.Message, StringComparison.Ordinal);
        bad = Assert.Throws<InvalidDataException>(() => RawFrameContent.TryRead(new DataContent(new byte[16], "image/x-raw; format=bgra32; height=2"), out _));
        Assert.Contains("'width' is missing", bad.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheAgentSendsRawFramesToTheEngine()
    {
        var image = new BgraImage(200, 100);
        ImageDrawing.Clear(image, BgraColor.FromRgb(200, 10, 10));
        var capture = new InMemoryScreenCapture(image);
        ScriptedChatClient client = new((_, _) => "Thought: done.\nAction: finished(content='ok')") { Metadata = new ChatClientMetadata("andes") };
        var agent = new GuiAgent(client, capture, new DryRunExecutor(), new GuiAgentOptions { Sizing = new ImageSizingOptions { MaxSize = 1792 } });
        GuiAgentRunResult result = await agent.RunAsync("check");
        Assert.Equal(GuiAgentStatus.Completed, result.Status);
        (IReadOnlyList<ChatMessage> messages, ChatOptions? options) = Assert.Single(client.Requests);
        DataContent sent = ScriptedChatClient.LastImage(messages);
        Assert.StartsWith("image/x-raw; format=bgra32; width=200; height=100", sent.MediaType, StringComparison.Ordinal);
        Assert.Equal(1792, options!.AdditionalProperties![AndesChatOptionKeys.ImageMaxSize]);
    }

    private static void AssertSamePixels(BgraImage expected, BgraImage actual, bool alpha = false)
    {
        Assert.Equal((expected.Width, expected.Height), (actual.Width, actual.Height));
        for (int y = 0; y < expected.Height; y++)
        {
            for (int x = 0; x < expected.Width; x++)
            {
                BgraColor e = expected.GetPixel(x, y), a = actual.GetPixel(x, y);
                Assert.True((e.R, e.G, e.B) == (a.R, a.G, a.B) && (!alpha || e.A == a.A), $"pixel ({x},{y}): {e} vs {a}");
            }
        }
    }

    private sealed class ForwardingClient(IChatClient inner) : DelegatingChatClient(inner);
}
