using Andes.ModelBuilder;
namespace Andes.ModelBuilder.Tests.SafeTensors;

public class TensorSourceExtensionsTests
{
    [Fact]
    public void Shape_mismatch_names_the_tensor_and_both_shapes()
    {
        using var dir = new TempDirectory();
        string path = dir.File("s.safetensors");
        using (var writer = SafeTensorsWriter.Create(path, [new("layer.weight", TensorDataType.Float32, [3, 2])]))
        {
            writer.WriteFloat32([1, 2, 3, 4, 5, 6]);
            writer.Complete();
        }

        using ITensorSource source = SafeTensorsCheckpoint.Open(path);
        Assert.Equal([1f, 2f, 3f, 4f, 5f, 6f], source.ReadFloat32("layer.weight", 3, 2));
        long[] expected = [3, 2];
        Assert.Equal(6, source.ReadFloat32("layer.weight", expected).Length);

        CheckpointException ex = Assert.Throws<CheckpointException>(() => source.ReadFloat32("layer.weight", 2, 3));
        Assert.Contains("'layer.weight'", ex.Message);
        Assert.Contains("[3, 2]", ex.Message);
        Assert.Contains("[2, 3]", ex.Message);
        Assert.Contains("s.safetensors", ex.Message);
        Assert.Equal("layer.weight", ex.TensorName);

        Assert.Throws<CheckpointException>(() => source.ReadFloat32("layer.weight", 6));
        Assert.Throws<CheckpointException>(() => source.ReadFloat32("layer.weight"));
        Assert.Throws<CheckpointException>(() => source.GetInfo("layer.weight", 3, 2, 1));
        Assert.Equal(6, source.GetInfo("layer.weight", 3, 2).ElementCount);

        float[] destination = new float[6];
        source.ReadFloat32("layer.weight", destination, 3, 2);
        Assert.Equal(6f, destination[5]);
        Assert.Throws<ArgumentException>(() => source.ReadFloat32("layer.weight", new float[5], 3, 2));
        Assert.Throws<CheckpointException>(() => source.ReadFloat32("layer.weight", destination, 6));
    }
}
