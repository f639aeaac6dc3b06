using System.Text.Json;
using Andes.GenAI;
namespace Andes.GenAI;

/// <summary>
/// How <see cref="ImageProcessor"/> turns an image into patches: patch and merge size, the sizing rule and its limits,
/// the resampling filter and the normalisation. Start from <see cref="AimV2"/> (AndesVL 1B-4B), <see cref="SigLip2"/>
/// (AndesVL 0.6B) or <see cref="FromPreprocessorConfig"/> (the model folder's processor config).
/// </summary>
/// <remarks>Plain mutable options; <see cref="ImageProcessor"/> validates and copies them when it is created.</remarks>
public sealed class ImageProcessorOptions
{
    /// <summary>The default <see cref="MaxSize"/>: 733, as in the model card's <c>chat()</c> (the published evaluation uses 1792).</summary>
    public const int DefaultMaxSize = 733;

    /// <summary>The default <see cref="MaxLongestSide"/>: 4172 pixels.</summary>
    public const int DefaultMaxLongestSide = 4172;

    private static readonly float[] ClipMean = [0.48145466f, 0.4578275f, 0.40821073f];
    private static readonly float[] ClipStd = [0.26862954f, 0.26130258f, 0.27577711f];

    /// <summary>Gets or sets the patch side in pixels: 14 for AIMv2, 16 for SigLIP2.</summary>
    public int PatchSize { get; set; } = 14;

    /// <summary>Gets or sets the patches merged per side into one token (AndesVL: 2, i.e. 2 x 2 groups).</summary>
    public int MergeSize { get; set; } = 2;

    /// <summary>Gets or sets the side of the largest square area an image is scaled to fit (<c>max_size</c>); default 733.</summary>
    public int MaxSize { get; set; } = DefaultMaxSize;

    /// <summary>Gets or sets the longest side allowed before anything else (<c>max_resolution</c>); default 4172.</summary>
    public int MaxLongestSide { get; set; } = DefaultMaxLongestSide;

    /// <summary>Gets or sets the smallest token area an image is scaled up to (AndesVL <c>chat()</c>: 4).</summary>
    public int MinTokens { get; set; } = 4;

    /// <summary>Gets or sets the sizing rule; default <see cref="ImageSizingRule.AndesVL"/> (the published code).</summary>
    public ImageSizingRule SizingRule { get; set; } = ImageSizingRule.AndesVL;

    /// <summary>Gets or sets the resampling filter; default <see cref="ImageResampleFilter.Bicubic"/> (Pillow's <c>Image.resize</c> default).</summary>
    public ImageResampleFilter Resample { get; set; } = ImageResampleFilter.Bicubic;

    /// <summary>Gets or sets whether pixel values are multiplied by <see cref="RescaleFactor"/>; default true.</summary>
    public bool DoRescale { get; set; } = true;

    /// <summary>Gets or sets the rescale factor; default 1/255 (rounded to float32 exactly as <c>ToTensor</c>'s division by 255).</summary>
    public double RescaleFactor { get; set; } = 1.0 / 255.0;

    /// <summary>Gets or sets whether <c>(x - mean) / std</c> is applied per channel; default true.</summary>
    public bool DoNormalize { get; set; } = true;

    /// <summary>Gets or sets the per-channel (R, G, B) mean; also fills the padding (<c>floor(mean * 255)</c>). Default CLIP's.</summary>
    public float[] ImageMean { get; set; } = (float[])ClipMean.Clone();

    /// <summary>Gets or sets the per-channel (R, G, B) standard deviation. Default CLIP's.</summary>
    public float[] ImageStd { get; set; } = (float[])ClipStd.Clone();

    /// <summary>Gets or sets the decoding limits used by <see cref="ImageProcessor.ProcessEncoded"/> and for raw buffers.</summary>
    public ImageDecoderOptions Decoder { get; set; } = new();

    /// <summary>Gets a new instance for the AIMv2 tower (AndesVL 1B, 2B, 4B): patch 14, merge 2, CLIP mean and std, bicubic.</summary>
    public static ImageProcessorOptions AimV2 => new();

    /// <summary>Gets a new instance for the SigLIP2 tower (AndesVL 0.6B): patch 16, merge 2, mean and std 0.5, bicubic.</summary>
    public static ImageProcessorOptions SigLip2 => new() { PatchSize = 16, ImageMean = [0.5f, 0.5f, 0.5f], ImageStd = [0.5f, 0.5f, 0.5f] };

    /// <summary>Creates a deep copy.</summary>
    /// <returns>A new instance with the same values.</returns>
    public ImageProcessorOptions Clone() => new()
    {
        PatchSize = PatchSize,
        MergeSize = MergeSize,
        MaxSize = MaxSize,
        MaxLongestSide = MaxLongestSide,
        MinTokens = MinTokens,
        SizingRule = SizingRule,
        Resample = Resample,
        DoRescale = DoRescale,
        RescaleFactor = RescaleFactor,
        DoNormalize = DoNormalize,
        ImageMean = (float[])ImageMean.Clone(),
        ImageStd = (float[])ImageStd.Clone(),
        Decoder = Decoder.Clone(),
    };

    /// <summary>
    /// Reads a Hugging Face image processor config (AndesVL's <c>preprocessor_config.json</c> or the converter's
    /// <c>processor_config.json</c>). Read by name: <c>patch_size</c>; <c>merge_size</c>, <c>spatial_merge_size</c> or
    /// <c>hidden_stride</c>; <c>image_mean</c>, <c>image_std</c>, <c>rescale_factor</c>, <c>do_rescale</c>,
    /// <c>do_normalize</c>, <c>resample</c> (Pillow code); and, when present, <c>max_size</c>, <c>max_resolution</c>,
    /// <c>min_tokens</c>. Missing fields take the <see cref="AimV2"/> values (<see cref="SigLip2"/> when patch_size is 16).
    /// Other fields (<c>min_pixels</c>, <c>max_pixels</c>, <c>size</c>, ...) are not used by AndesVL's native-resolution rule and are ignored.
    /// </summary>
    /// <param name="path">The JSON file.</param>
    /// <returns>The options.</returns>
    /// <exception cref="ModelConfigurationException">The file is missing, not JSON, or a field has a wrong type or value (the message names the field).</exception>
    public static ImageProcessorOptions FromPreprocessorConfig(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ModelConfigurationException($"Cannot read the image processor config '{path}': {ex.Message}", path, null, ex);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException ex)
        {
            throw new ModelConfigurationException($"The image processor config '{path}' is not valid JSON: {ex.Message}", path, null, ex);
        }

        using (document)
        {
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new ModelConfigurationException($"The image processor config '{path}' is not a JSON object.", path, null);
            }

            // Some processor configs nest the image processor (processor_config.json of newer transformers).
            if (root.TryGetProperty("image_processor", out JsonElement nested) && nested.ValueKind == JsonValueKind.Object)
            {
                root = nested;
            }

            var reader = new ConfigReader(root, path);
            int patch = reader.Int("patch_size") ?? 14;
            ImageProcessorOptions options = patch == 16 ? SigLip2 : AimV2;
            options.PatchSize = patch;
            options.MergeSize = reader.Int("merge_size") ?? reader.Int("spatial_merge_size") ?? reader.Int("hidden_stride") ?? options.MergeSize;
            options.MaxSize = reader.Int("max_size") ?? options.MaxSize;
            options.MaxLongestSide = reader.Int("max_resolution") ?? options.MaxLongestSide;
            options.MinTokens = reader.Int("min_tokens") ?? options.MinTokens;
            options.ImageMean = reader.Triple("image_mean") ?? options.ImageMean;
            options.ImageStd = reader.Triple("image_std") ?? options.ImageStd;
            options.RescaleFactor = reader.Double("rescale_factor") ?? options.RescaleFactor;
            options.DoRescale = reader.Bool("do_rescale") ?? options.DoRescale;
            options.DoNormalize = reader.Bool("do_normalize") ?? options.DoNormalize;
            int? resample = reader.Int("resample");
            if (resample is not null)
            {
                if (resample is < 1 or > 5)
                {
                    throw new ModelConfigurationException(
                        $"The image processor config '{path}' has resample = {resample}; supported are Pillow's 1 (LANCZOS), 2 (BILINEAR), 3 (BICUBIC), 4 (BOX) and 5 (HAMMING)"
                        + (resample == 0 ? " (NEAREST is not supported)." : "."),
                        path, "resample");
                }

                options.Resample = (ImageResampleFilter)resample.Value;
            }

            try
            {
                options.Validate();
            }
            catch (ArgumentException ex)
            {
                throw new ModelConfigurationException($"The image processor config '{path}' is invalid: {ex.Message}", path, ex.ParamName, ex);
            }

            return options;
        }
    }

    /// <summary>Throws <see cref="ArgumentException"/> (naming the property) for an impossible value.</summary>
    internal void Validate()
    {
        if (PatchSize is < 1 or > 1024)
        {
            throw new ArgumentOutOfRangeException(nameof(PatchSize), PatchSize, "The patch size must be between 1 and 1024.");
        }

        if (MergeSize is < 1 or > 16)
        {
            throw new ArgumentOutOfRangeException(nameof(MergeSize), MergeSize, "The merge size must be between 1 and 16.");
        }

        if (MaxSize < PatchSize * MergeSize)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxSize), MaxSize, $"The max size must be at least patch x merge ({PatchSize * MergeSize}).");
        }

        if (MaxLongestSide < PatchSize * MergeSize)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxLongestSide), MaxLongestSide, $"The longest-side cap must be at least patch x merge ({PatchSize * MergeSize}).");
        }

        if (MinTokens < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MinTokens), MinTokens, "The minimum token count must be positive.");
        }

        if (!Enum.IsDefined(Resample))
        {
            throw new ArgumentOutOfRangeException(nameof(Resample), Resample, "Unknown resampling filter.");
        }

        if (!Enum.IsDefined(SizingRule))
        {
            throw new ArgumentOutOfRangeException(nameof(SizingRule), SizingRule, "Unknown sizing rule.");
        }

        if (!(RescaleFactor > 0) || double.IsInfinity(RescaleFactor))
        {
            throw new ArgumentOutOfRangeException(nameof(RescaleFactor), RescaleFactor, "The rescale factor must be positive and finite.");
        }

        if (ImageMean is not { Length: 3 } || ImageMean.Any(v => !float.IsFinite(v)))
        {
            throw new ArgumentException("The image mean must have three finite values (R, G, B).", nameof(ImageMean));
        }

        if (ImageStd is not { Length: 3 } || ImageStd.Any(v => !(v > 0) || !float.IsFinite(v)))
        {
            throw new ArgumentException("The image std must have three positive finite values (R, G, B).", nameof(ImageStd));
        }

        ArgumentNullException.ThrowIfNull(Decoder, nameof(Decoder));
        if (Decoder.MaxPixels < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Decoder), Decoder.MaxPixels, "Decoder.MaxPixels must be positive.");
        }
    }

    private readonly struct ConfigReader(JsonElement root, string path)
    {
        public int? Int(string name)
        {
            if (!root.TryGetProperty(name, out JsonElement e) || e.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            if (e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out int value))
            {
                return value;
            }

            if (e.ValueKind == JsonValueKind.Number && e.TryGetDouble(out double d) && d == Math.Floor(d) && Math.Abs(d) < int.MaxValue)
            {
                return (int)d;
            }

            throw Error(name, e, "an integer");
        }

        public double? Double(string name)
        {
            if (!root.TryGetProperty(name, out JsonElement e) || e.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            return e.ValueKind == JsonValueKind.Number ? e.GetDouble() : throw Error(name, e, "a number");
        }

        public bool? Bool(string name)
        {
            if (!root.TryGetProperty(name, out JsonElement e) || e.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            return e.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => throw Error(name, e, "true or false"),
            };
        }

        public float[]? Triple(string name)
        {
            if (!root.TryGetProperty(name, out JsonElement e) || e.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            if (e.ValueKind == JsonValueKind.Number)
            {
                float v = (float)e.GetDouble();
                return [v, v, v];
            }

            if (e.ValueKind == JsonValueKind.Array && e.GetArrayLength() == 3 && e.EnumerateArray().All(x => x.ValueKind == JsonValueKind.Number))
            {
                return [.. e.EnumerateArray().Select(x => (float)x.GetDouble())];
            }

            throw Error(name, e, "an array of three numbers");
        }

        private ModelConfigurationException Error(string name, JsonElement e, string expected) =>
            new($"The image processor config '{path}' has {name} = {e.GetRawText()}; expected {expected}.", path, name);
    }

    /// <summary>The sizing part of these options (the arithmetic is shared with the GUI agent through Andes.Abstractions).</summary>
    public ImageSizingOptions ToSizingOptions() => new()
    {
        PatchSize = PatchSize,
        MergeSize = MergeSize,
        MaxSize = MaxSize,
        LongestSideCap = MaxLongestSide,
        MinTokens = MinTokens,
        Rule = SizingRule,
    };
}
