namespace Andes.ModelBuilder;

/// <summary>
/// The input and output names of <c>vision.onnx</c>, shared by both towers. Inputs: <c>pixel_values</c> float32
/// [num_patches, C*p*p], every image's patches flattened (channel, row, col) in 2x2-group order and concatenated in
/// image order; <c>image_grid_thw</c> int64 [num_images, 3], (1, rows, cols) in patches per image. Output:
/// <c>image_features</c> float32 [num_image_tokens, H], one row per 2x2 group, in the same order.
/// </summary>
internal static class VisionGraphContract
{
    public const string FileName = "vision.onnx";
    public const string PixelValues = "pixel_values";
    public const string ImageGridThw = "image_grid_thw";
    public const string ImageFeatures = "image_features";
}
