using Andes.GenAI;
namespace Andes.GenAI.Tests.Vision;

public sealed class ImageProcessorOptionsTests : IDisposable
{
    // AndesVL-1B-Instruct's preprocessor_config.json as published.
    private const string AndesVL1B = """
        {
          "crop_size": { "height": -1, "width": -1 },
          "do_center_crop": false,
          "do_convert_rgb": true,
          "do_normalize": true,
          "do_rescale": true,
          "do_resize": false,
          "hidden_stride": 2,
          "image_mean": [0.48145466, 0.4578275, 0.40821073],
          "image_processor_type": "CLIPImageProcessor",
          "image_std": [0.26862954, 0.26130258, 0.27577711],
          "max_pixels": 2408448,
          "min_pixels": 200704,
          "patch_size": 14,
          "resample": 3,
          "rescale_factor": 0.00392156862745098,
          "size": { "shortest_edge": -1 },
          "temporal_patch_size": 1
        }
        """;

    private readonly string _directory = Directory.CreateTempSubdirectory("andes-vision-options-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Reads_AndesVL_1B_preprocessor_config()
    {
        ImageProcessorOptions options = ImageProcessorOptions.FromPreprocessorConfig(Write(AndesVL1B));
        Assert.Equal(14, options.PatchSize);
        Assert.Equal(2, options.MergeSize);
        Assert.Equal(733, options.MaxSize);
        Assert.Equal(4172, options.MaxLongestSide);
        Assert.Equal(4, options.MinTokens);
        Assert.Equal(ImageResampleFilter.Bicubic, options.Resample);
        Assert.Equal(ImageSizingRule.AndesVL, options.SizingRule);
        Assert.Equal([0.48145466f, 0.4578275f, 0.40821073f], options.ImageMean);
        Assert.Equal([0.26862954f, 0.26130258f, 0.27577711f], options.ImageStd);
        Assert.Equal(1 / 255.0, options.RescaleFactor, 15);
        Assert.True(options.DoRescale && options.DoNormalize);
        Assert.Equal([122, 116, 104], new ImageProcessor(options).PaddingColor.ToArray());
    }

    [Fact]
    public void A_SigLIP2_config_defaults_to_half_mean_and_std()
    {
        ImageProcessorOptions options = ImageProcessorOptions.FromPreprocessorConfig(Write("""{ "patch_size": 16, "merge_size": 2, "max_size": 1792 }"""));
        Assert.Equal(16, options.PatchSize);
        Assert.Equal(1792, options.MaxSize);
        Assert.Equal([0.5f, 0.5f, 0.5f], options.ImageMean);
        Assert.Equal([0.5f, 0.5f, 0.5f], options.ImageStd);
        Assert.Equal([127, 127, 127], new ImageProcessor(options).PaddingColor.ToArray());
        ImageProcessorOptions preset = ImageProcessorOptions.SigLip2;
        preset.MaxSize = 1792;
        Assert.Equal(new ImageProcessor(preset).GetGeometry(1920, 1080), new ImageProcessor(options).GetGeometry(1920, 1080));
    }

    [Fact]
    public void A_nested_image_processor_section_is_read()
    {
        ImageProcessorOptions options = ImageProcessorOptions.FromPreprocessorConfig(Write("""{ "image_processor": { "patch_size": 16, "spatial_merge_size": 2, "resample": 2 } }"""));
        Assert.Equal(16, options.PatchSize);
        Assert.Equal(ImageResampleFilter.Bilinear, options.Resample);
    }

    [Theory]
    [InlineData("""{ "patch_size": "14" }""", "patch_size")]
    [InlineData("""{ "patch_size": 14.5 }""", "patch_size")]
    [InlineData("""{ "image_mean": [0.5, 0.5] }""", "image_mean")]
    [InlineData("""{ "image_std": [0.5, 0, 0.5] }""", "ImageStd")]
    [InlineData("""{ "resample": 0 }""", "resample")]
    [InlineData("""{ "resample": 9 }""", "resample")]
    [InlineData("""{ "do_normalize": "yes" }""", "do_normalize")]
    [InlineData("""{ "rescale_factor": -1 }""", "RescaleFactor")]
    [InlineData("""{ "patch_size": 14, "max_size": 10 }""", "MaxSize")]
    public void Bad_fields_name_the_field(string json, string field)
    {
        string path = Write(json);
        var ex = Assert.Throws<ModelConfigurationException>(() => ImageProcessorOptions.FromPreprocessorConfig(path));
        Assert.Equal(path, ex.FilePath);
        Assert.Equal(field, ex.Field);
        Assert.Contains(path, ex.Message);
    }

    [Fact]
    public void Missing_and_malformed_files_are_configuration_errors()
    {
        Assert.Throws<ModelConfigurationException>(() => ImageProcessorOptions.FromPreprocessorConfig(Path.Combine(_directory, "missing.json")));
        Assert.Throws<ModelConfigurationException>(() => ImageProcessorOptions.FromPreprocessorConfig(Write("{ not json")));
        Assert.Throws<ModelConfigurationException>(() => ImageProcessorOptions.FromPreprocessorConfig(Write("[1, 2]")));
    }

    [Fact]
    public void The_processor_copies_its_options()
    {
        var options = new ImageProcessorOptions { MaxSize = 1792 };
        var processor = new ImageProcessor(options);
        options.MaxSize = 112;
        options.ImageMean[0] = 0;
        Assert.Equal(1792, processor.Options.MaxSize);
        Assert.Equal(0.48145466f, processor.Options.ImageMean[0]);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ImageProcessor(new ImageProcessorOptions { PatchSize = 0 }));
        Assert.Throws<ArgumentException>(() => new ImageProcessor(new ImageProcessorOptions { ImageStd = [1, 1] }));
    }

    [Fact]
    public void The_normalisation_table_equals_ToTensor_then_Normalize()
    {
        ImageProcessorOptions aim = ImageProcessorOptions.AimV2;
        float[] table = PatchFlattener.BuildTable(true, aim.RescaleFactor, true, aim.ImageMean, aim.ImageStd);
        for (int c = 0; c < 3; c++)
        {
            for (int v = 0; v < 256; v++)
            {
                float x = v / 255f; // torchvision: uint8 tensor .float().div(255)
                Assert.Equal((x - aim.ImageMean[c]) / aim.ImageStd[c], table[(c * 256) + v]);
            }
        }
    }

    private string Write(string json)
    {
        string path = Path.Combine(_directory, $"{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        return path;
    }
}
