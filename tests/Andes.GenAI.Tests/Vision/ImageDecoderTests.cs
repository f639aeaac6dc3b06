using System.Buffers.Binary;
using System.IO.Compression;
using System.Text.Json;
using Andes.GenAI;
using Xunit.Abstractions;

namespace Andes.GenAI.Tests.Vision;

public sealed class ImageDecoderTests(ITestOutputHelper output)
{
    public static TheoryData<string> InputNames => [.. VisionFixtures.Inputs.Select(i => i.GetProperty("name").GetString()!)];

    [Theory]
    [MemberData(nameof(InputNames))]
    public void Decodes_like_Pillow(string name)
    {
        JsonElement input = VisionFixtures.Input(name);
        string file = input.GetProperty("file").GetString()!;
        byte[] encoded = VisionFixtures.ReadBytes(file);
        ImageHeader header = ImageDecoder.ReadHeader(encoded, file);
        RgbImage image = ImageDecoder.Decode(encoded, file);
        byte[] expected = VisionFixtures.ReadBytes(input.GetProperty("decoded").GetString()!);
        Assert.Equal(input.GetProperty("width").GetInt32(), image.Width);
        Assert.Equal(input.GetProperty("height").GetInt32(), image.Height);
        Assert.Equal((image.Width, image.Height), (header.Width, header.Height));
        Assert.Equal(input.GetProperty("format").GetString(), header.Format.ToString().ToUpperInvariant());
        ReadOnlySpan<byte> actual = image.Pixels.Span;
        Assert.Equal(expected.Length, actual.Length);
        int exact = 0, maxDiff = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            int d = Math.Abs(actual[i] - expected[i]);
            exact += d == 0 ? 1 : 0;
            maxDiff = Math.Max(maxDiff, d);
        }

        output.WriteLine($"{name} ({header}, Pillow mode {input.GetProperty("mode").GetString()}): {exact}/{expected.Length} bytes equal, max diff {maxDiff}");
        // Every format, JPEG included: Skia decodes JPEG with libjpeg-turbo's accurate IDCT and fancy upsampling, as
        // Pillow does (bench/README.md, "One imaging library").
        Assert.Equal(expected.Length, exact);
    }

    [Fact]
    public void Empty_data_is_typed()
    {
        var ex = Assert.Throws<InvalidImageException>(() => ImageDecoder.Decode([], "empty.png"));
        Assert.Equal(ImageErrorKind.Empty, ex.Kind);
        Assert.Contains("empty.png", ex.Message);
        Assert.Equal("empty.png", ex.SourceName);
    }

    [Fact]
    public void Empty_file_is_typed()
    {
        string path = Path.Combine(Path.GetTempPath(), $"andes-empty-{Guid.NewGuid():N}.png");
        File.WriteAllBytes(path, []);
        try
        {
            var ex = Assert.Throws<InvalidImageException>(() => ImageDecoder.DecodeFile(path));
            Assert.Equal(ImageErrorKind.Empty, ex.Kind);
            Assert.Contains(path, ex.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("RIFF\0\0\0\0WEBPVP8 ", "WebP")]
    [InlineData("II*\0\u0008\0\0\0", "TIFF")]
    [InlineData("\0\0\0\u0018ftypavif", "HEIF")]
    [InlineData("hello, world", "not a PNG, JPEG, BMP or GIF")]
    public void Unsupported_formats_are_typed(string start, string mention)
    {
        byte[] data = [.. start.Select(ch => (byte)ch), .. new byte[32]];
        var ex = Assert.Throws<InvalidImageException>(() => ImageDecoder.Decode(data, "upload.bin"));
        Assert.Equal(ImageErrorKind.UnsupportedFormat, ex.Kind);
        Assert.Contains(mention, ex.Message);
        Assert.Contains("upload.bin", ex.Message);
    }

    public static TheoryData<string> EncodedInputs => [.. VisionFixtures.Inputs.Select(i => i.GetProperty("file").GetString()!)];

    [Theory]
    [MemberData(nameof(EncodedInputs))]
    public void Truncated_files_are_typed_at_every_cut(string file)
    {
        byte[] encoded = VisionFixtures.ReadBytes(file);
        byte[] full = ImageDecoder.Decode(encoded, file).Pixels.ToArray();
        int[] cuts = [1, 2, 4, 10, 20, 30, 60, encoded.Length / 3, encoded.Length / 2, encoded.Length - 40, encoded.Length - 3, encoded.Length - 1];
        foreach (int cut in cuts.Where(c => c > 0 && c < encoded.Length).Distinct())
        {
            InvalidImageException? ex = null;
            byte[]? decoded = null;
            try
            {
                decoded = ImageDecoder.Decode(encoded.AsSpan(0, cut), file).Pixels.ToArray();
            }
            catch (InvalidImageException e)
            {
                ex = e;
            }

            if (ex is null)
            {
                // Only a GIF cut after its first frame still decodes (to that frame).
                Assert.True(file.EndsWith(".gif", StringComparison.Ordinal), $"cut {cut} of {encoded.Length} decoded without error");
                Assert.Equal(full, decoded);
                continue;
            }

            Assert.True(ex.Kind is ImageErrorKind.Truncated or ImageErrorKind.Corrupt, $"cut {cut}: {ex.Kind}: {ex.Message}");
            Assert.Contains(file, ex.Message);
        }

        var half = Assert.Throws<InvalidImageException>(() => ImageDecoder.Decode(encoded.AsSpan(0, encoded.Length / 3), file));
        Assert.Equal(ImageErrorKind.Truncated, half.Kind);
        Assert.NotNull(half.Format);
    }

    [Fact]
    public void Corrupt_png_data_is_typed()
    {
        byte[] png = VisionFixtures.ReadBytes("inputs/noise_100x60.png");

        // Garbage inside the IDAT stream (chunk structure intact).
        byte[] garbage = (byte[])png.Clone();
        int idat = garbage.AsSpan().IndexOf("IDAT"u8);
        for (int i = idat + 4; i < idat + 200; i++)
        {
            garbage[i] = (byte)(i * 37);
        }

        var ex = Assert.Throws<InvalidImageException>(() => ImageDecoder.Decode(garbage, "garbage.png"));
        Assert.Equal(ImageErrorKind.Corrupt, ex.Kind);
        Assert.Equal(ImageFormat.Png, ex.Format);
        Assert.Contains("garbage.png", ex.Message);

        // A broken IHDR.
        byte[] header = (byte[])png.Clone();
        header[25] = 7; // colour type 7 does not exist
        ex = Assert.Throws<InvalidImageException>(() => ImageDecoder.Decode(header, "ihdr.png"));
        Assert.Equal(ImageErrorKind.Corrupt, ex.Kind);
        Assert.Contains("colour type 7", ex.Message);
    }

    [Fact]
    public void Corrupt_jpeg_and_gif_are_typed()
    {
        byte[] jpeg = [0xFF, 0xD8, 0xFF, 0xDA, 0x00, 0x08, 1, 2, 3, 4, 5, 6, 0xFF, 0xD9];
        var ex = Assert.Throws<InvalidImageException>(() => ImageDecoder.Decode(jpeg, "scan-first.jpg"));
        Assert.Equal(ImageErrorKind.Corrupt, ex.Kind);
        Assert.Contains("SOS", ex.Message);

        byte[] gif = [.. "GIF89a"u8, 10, 0, 10, 0, 0, 0, 0, 0x3B];
        ex = Assert.Throws<InvalidImageException>(() => ImageDecoder.Decode(gif, "empty.gif"));
        Assert.Equal(ImageErrorKind.Corrupt, ex.Kind);
    }

    [Fact]
    public void Unsupported_jpeg_and_bmp_variants_are_typed()
    {
        // Arithmetic-coded JPEG frame (SOF9).
        byte[] jpeg = [0xFF, 0xD8, 0xFF, 0xC9, 0x00, 0x0B, 8, 0x00, 0x10, 0x00, 0x10, 1, 1, 0x11, 0];
        var ex = Assert.Throws<InvalidImageException>(() => ImageDecoder.Decode(jpeg, "arith.jpg"));
        Assert.Equal(ImageErrorKind.UnsupportedFormat, ex.Kind);
        Assert.Contains("arithmetic", ex.Message);

        byte[] bmp = Bmp(16, 16, bitCount: 8, compression: 1);
        ex = Assert.Throws<InvalidImageException>(() => ImageDecoder.Decode(bmp, "rle.bmp"));
        Assert.Equal(ImageErrorKind.UnsupportedFormat, ex.Kind);
        Assert.Contains("RLE8", ex.Message);
    }

    [Fact]
    public void Png_bomb_is_rejected_from_its_header()
    {
        byte[] bomb = PngHeaderOnly(100_000, 100_000);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var ex = Assert.Throws<InvalidImageException>(() => ImageDecoder.Decode(bomb, "bomb.png"));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(ImageErrorKind.TooLarge, ex.Kind);
        Assert.Equal(100_000, ex.ClaimedWidth);
        Assert.Equal(100_000, ex.ClaimedHeight);
        Assert.Contains("bomb.png", ex.Message);
        Assert.Contains("100000 x 100000", ex.Message);
        Assert.True(allocated < 1_000_000, $"allocated {allocated} bytes before rejecting");
    }

    [Fact]
    public void Bombs_in_every_format_are_rejected_before_decoding()
    {
        (string Name, byte[] Data, int W, int H)[] bombs =
        [
            ("bomb.jpg", [0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x11, 8, 0xEA, 0x60, 0xEA, 0x60, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1, 0xFF, 0xD9], 60000, 60000),
            ("bomb.gif", [.. "GIF89a"u8, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0x3B], 65535, 65535),
            ("bomb.bmp", Bmp(100_000, 100_000, bitCount: 24, compression: 0), 100_000, 100_000),
        ];
        foreach ((string name, byte[] data, int w, int h) in bombs)
        {
            var ex = Assert.Throws<InvalidImageException>(() => ImageDecoder.Decode(data, name));
            Assert.Equal(ImageErrorKind.TooLarge, ex.Kind);
            Assert.Equal((long)w, ex.ClaimedWidth);
            Assert.Equal((long)h, ex.ClaimedHeight);
            Assert.Contains(name, ex.Message);
        }
    }

    [Fact]
    public void A_small_file_claiming_the_whole_pixel_limit_is_refused_before_any_large_allocation()
    {
        // Real images whose headers are edited to claim 8192 x 8192 (the default 64-megapixel limit exactly): a few KB
        // of data cannot hold that many pixels, so they are refused from their size, not after seconds of decoding.
        byte[] jpeg = VisionFixtures.ReadBytes("inputs/photo_120x90.jpg");
        int sof = jpeg.AsSpan().IndexOf([(byte)0xFF, (byte)0xC0]);
        Assert.True(sof > 0);
        jpeg[sof + 5] = 0x20; // height 8192
        jpeg[sof + 6] = 0x00;
        jpeg[sof + 7] = 0x20; // width 8192
        jpeg[sof + 8] = 0x00;
        byte[] png = PngHeaderOnly(8192, 8192);
        foreach ((string name, byte[] data) in new[] { ("claims.jpg", jpeg), ("claims.png", png) })
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            var ex = Assert.Throws<InvalidImageException>(() => ImageDecoder.Decode(data, name));
            Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20, $"{name}: {GC.GetAllocatedBytesForCurrentThread() - before} bytes allocated");
            Assert.Equal(ImageErrorKind.Truncated, ex.Kind);
            Assert.Contains("cannot hold 8192 x 8192 pixels", ex.Message, StringComparison.Ordinal);
            Assert.Contains(name, ex.Message, StringComparison.Ordinal);
        }

        // Every fixture still decodes: the bound is a lower bound no real encoder beats.
        foreach (string fixture in new[] { "inputs/photo_120x90.jpg", "inputs/noise_100x60.png" })
        {
            Assert.True(ImageDecoder.Decode(VisionFixtures.ReadBytes(fixture), fixture).Width > 0);
        }
    }

    [Fact]
    public void The_pixel_limit_is_configurable()
    {
        byte[] png = VisionFixtures.ReadBytes("inputs/noise_100x60.png");
        var ex = Assert.Throws<InvalidImageException>(() => ImageDecoder.Decode(png, "small-limit.png", new ImageDecoderOptions { MaxPixels = 5999 }));
        Assert.Equal(ImageErrorKind.TooLarge, ex.Kind);
        Assert.Equal(6000, ImageDecoder.Decode(png, "exact-limit.png", new ImageDecoderOptions { MaxPixels = 6000 }).Width * 60);

        var processor = new ImageProcessor(new ImageProcessorOptions { Decoder = new ImageDecoderOptions { MaxPixels = 100 } });
        Assert.Equal(ImageErrorKind.TooLarge, Assert.Throws<InvalidImageException>(() => processor.ProcessEncoded(png, "via-processor.png")).Kind);
        Assert.Equal(ImageErrorKind.TooLarge, Assert.Throws<InvalidImageException>(() => processor.Process(new byte[3 * 11 * 10], 11, 10, ImagePixelFormat.Rgb24)).Kind);
    }

    [Fact]
    public void A_valid_header_with_a_zero_size_is_corrupt()
    {
        var ex = Assert.Throws<InvalidImageException>(() => ImageDecoder.ReadHeader(PngHeaderOnly(0, 10), "zero.png"));
        Assert.Equal(ImageErrorKind.Corrupt, ex.Kind);
        Assert.Contains("0 x 10", ex.Message);
    }

    /// <summary>A PNG with a valid IHDR (and CRC), one tiny IDAT and IEND.</summary>
    private static byte[] PngHeaderOnly(uint width, uint height)
    {
        using var stream = new MemoryStream();
        stream.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        byte[] ihdr = new byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteUInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8;
        ihdr[9] = 2;
        WriteChunk(stream, "IHDR", ihdr);
        using var deflated = new MemoryStream();
        using (var z = new ZLibStream(deflated, CompressionLevel.Optimal, leaveOpen: true))
        {
            z.Write(new byte[1024]);
        }

        WriteChunk(stream, "IDAT", deflated.ToArray());
        WriteChunk(stream, "IEND", []);
        return stream.ToArray();
    }

    private static void WriteChunk(Stream stream, string type, byte[] data)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(length, (uint)data.Length);
        stream.Write(length);
        byte[] typed = [.. type.Select(c => (byte)c), .. data];
        stream.Write(typed);
        BinaryPrimitives.WriteUInt32BigEndian(length, PngCrc.Compute(typed));
        stream.Write(length);
    }

    private static byte[] Bmp(int width, int height, int bitCount, uint compression)
    {
        byte[] data = new byte[54 + 64];
        data[0] = (byte)'B';
        data[1] = (byte)'M';
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(2), (uint)data.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(10), 54);
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(14), 40);
        BinaryPrimitives.WriteInt32LittleEndian(data.AsSpan(18), width);
        BinaryPrimitives.WriteInt32LittleEndian(data.AsSpan(22), height);
        BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(26), 1);
        BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(28), (ushort)bitCount);
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(30), compression);
        return data;
    }
}

/// <summary>CRC-32 (ISO-HDLC) as PNG chunks use it.</summary>
internal static class PngCrc
{
    private static readonly uint[] Table = [.. Enumerable.Range(0, 256).Select(n =>
    {
        uint c = (uint)n;
        for (int k = 0; k < 8; k++)
        {
            c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        }

        return c;
    })];

    public static uint Compute(ReadOnlySpan<byte> data)
    {
        uint c = 0xFFFFFFFFu;
        foreach (byte b in data)
        {
            c = Table[(c ^ b) & 0xFF] ^ (c >> 8);
        }

        return c ^ 0xFFFFFFFFu;
    }
}
