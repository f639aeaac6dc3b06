using Andes.GenAI;
using Andes.Testing;

namespace Andes.GenAI.Tests.Models;

/// <summary><see cref="AndesModel.LoadAsync"/>: progress by step and bytes, cancellation between steps, nothing left behind.</summary>
public sealed class LoadAsyncTests
{
    /// <summary>Collects reports synchronously on the loading thread, in the order they are made (<see cref="Progress{T}"/> would post them).</summary>
    private sealed class Recorder(Action<ModelLoadProgress>? onReport = null) : IProgress<ModelLoadProgress>
    {
        public List<ModelLoadProgress> Reports { get; } = [];

        public void Report(ModelLoadProgress value)
        {
            lock (Reports)
            {
                Reports.Add(value);
            }

            onReport?.Invoke(value);
        }
    }

    private static long Size(string folder, string file) => File.Exists(Path.Combine(folder, file)) ? new FileInfo(Path.Combine(folder, file)).Length : 0;

    private static long GraphSize(string folder, string file) => Size(folder, file) + Size(folder, file + ".data");

    [Fact]
    public async Task ReportsEveryStepInOrderWithTheFilesAndTheirBytesAndReachesOne()
    {
        string folder = TestModels.TinyFp32Model;
        var recorder = new Recorder();
        using AndesModel model = await AndesModel.LoadAsync(folder, progress: recorder);

        Assert.Equal(
            [
                ModelLoadStage.ManifestChecked, ModelLoadStage.ConfigRead, ModelLoadStage.TokenizerLoaded, ModelLoadStage.ImageProcessorLoaded,
                ModelLoadStage.CreatingSession, ModelLoadStage.SessionCreated, // embedding
                ModelLoadStage.CreatingSession, ModelLoadStage.SessionCreated, // vision
                ModelLoadStage.CreatingSession, ModelLoadStage.SessionCreated, // decoder
                ModelLoadStage.Completed,
            ],
            recorder.Reports.Select(r => r.Stage));
        Assert.Equal(
            ["andes_manifest.json", "genai_config.json", "tokenizer.json", "processor_config.json", "embedding.onnx", "embedding.onnx", "vision.onnx", "vision.onnx", "decoder.onnx", "decoder.onnx", null],
            recorder.Reports.Select(r => r.FileName));

        // Each session's bytes are its graph and weights; the steps' bytes add up to the total.
        ModelLoadProgress decoder = recorder.Reports.Single(r => r is { Stage: ModelLoadStage.SessionCreated, FileName: "decoder.onnx" });
        Assert.Equal(GraphSize(folder, "decoder.onnx"), decoder.FileBytes);
        Assert.True(Size(folder, "decoder.onnx.data") > 0, "the tiny decoder keeps its weights in decoder.onnx.data");
        long total = recorder.Reports[0].TotalBytes;
        Assert.All(recorder.Reports, r => Assert.Equal(total, r.TotalBytes));
        Assert.Equal(total, recorder.Reports.Where(r => r.Stage is not (ModelLoadStage.CreatingSession or ModelLoadStage.Completed)).Sum(r => r.FileBytes));
        Assert.Equal(
            Size(folder, "andes_manifest.json") + Size(folder, "genai_config.json") + Size(folder, "tokenizer.json") + Size(folder, "processor_config.json")
                + GraphSize(folder, "embedding.onnx") + GraphSize(folder, "vision.onnx") + GraphSize(folder, "decoder.onnx"),
            total);

        // The fraction never goes back, a session's creating report does not count its bytes yet, and the last is 1.
        for (int i = 1; i < recorder.Reports.Count; i++)
        {
            Assert.True(recorder.Reports[i].BytesDone >= recorder.Reports[i - 1].BytesDone, $"report {i} went back");
            Assert.True(recorder.Reports[i].Elapsed >= recorder.Reports[i - 1].Elapsed);
        }

        Assert.All(recorder.Reports.Where(r => r.Stage == ModelLoadStage.CreatingSession), r => Assert.True(r.Fraction < 1));
        Assert.Equal(1.0, recorder.Reports[^1].Fraction);
        Assert.Equal(total, recorder.Reports[^1].BytesDone);
        Assert.Equal(GenerationEngine.Andes, model.Engine);
        Assert.True(model.SupportsImages);
    }

    [Fact]
    public async Task OnnxRuntimeGenAIReportsItsModelAsOneStep()
    {
        string folder = TestModels.TinyFp32Model;
        var recorder = new Recorder();
        using AndesModel model = await AndesModel.LoadAsync(folder, new AndesModelOptions { Engine = GenerationEngine.OnnxRuntimeGenAI }, recorder);

        Assert.Equal(
            [
                ModelLoadStage.ManifestChecked, ModelLoadStage.ConfigRead, ModelLoadStage.TokenizerLoaded, ModelLoadStage.ImageProcessorLoaded,
                ModelLoadStage.CreatingOnnxRuntimeGenAIModel, ModelLoadStage.OnnxRuntimeGenAIModelCreated, ModelLoadStage.Completed,
            ],
            recorder.Reports.Select(r => r.Stage));
        ModelLoadProgress created = recorder.Reports[5];
        Assert.Equal("genai_config.json", created.FileName);
        Assert.Equal(GraphSize(folder, "embedding.onnx") + GraphSize(folder, "vision.onnx") + GraphSize(folder, "decoder.onnx"), created.FileBytes);
        Assert.Equal(1.0, recorder.Reports[^1].Fraction);
        Assert.Equal(GenerationEngine.OnnxRuntimeGenAI, model.Engine);
    }

    [Fact]
    public async Task ABaseDecoderOnSharedWeightsCountsTheSharedFile()
    {
        string folder = TestModels.TinyFp32LoraModel;
        var recorder = new Recorder();
        using AndesModel model = await AndesModel.LoadAsync(folder, progress: recorder);

        ModelLoadProgress decoder = recorder.Reports.Last(r => r.Stage == ModelLoadStage.SessionCreated);
        Assert.Equal("decoder_base.onnx", decoder.FileName);
        LoraModelManifest manifest = LoraModelManifest.TryLoad(folder)!;
        Assert.Equal(Size(folder, "decoder_base.onnx") + Size(folder, manifest.SharedWeights!.File), decoder.FileBytes);
        Assert.Equal(1.0, recorder.Reports[^1].Fraction);
    }

    [Fact]
    public async Task TheLoadRunsOffTheCallersThread()
    {
        // The first report waits until LoadAsync has returned to the caller: a load on the caller's thread would never
        // get there (the wait times out, and the flag says so).
        using var returned = new ManualResetEventSlim();
        bool waitedForTheCaller = false;
        var recorder = new Recorder(r =>
        {
            if (r.Stage == ModelLoadStage.ManifestChecked)
            {
                waitedForTheCaller = returned.Wait(TimeSpan.FromSeconds(30));
            }
        });

        Task<AndesModel> load = AndesModel.LoadAsync(TestModels.TinyFp32Model, progress: recorder);
        bool completedBeforeReturning = load.IsCompleted;
        returned.Set();
        using AndesModel model = await load;
        Assert.False(completedBeforeReturning);
        Assert.True(waitedForTheCaller);
    }

    [Fact]
    public void ALoadedModelHoldsItsWeightsAndDisposingReleasesThem()
    {
        // The control for the cancellation tests below: the check sees a live model's files, and not a disposed one's.
        if (!ProcessFiles.IsSupported)
        {
            return; // /proc is Linux's; the check sees nothing elsewhere
        }

        using TemporaryDirectory temp = TestModels.CopyModel(TestModels.TinyFp32Model);
        foreach (GenerationEngine engine in Enum.GetValues<GenerationEngine>())
        {
            AndesModel model = AndesModel.Load(temp.Path, new AndesModelOptions { Engine = engine });
            Assert.NotEmpty(ProcessFiles.HeldUnder(temp.Path));
            model.Dispose();
            Assert.Empty(ProcessFiles.HeldUnder(temp.Path));
        }
    }

    public static TheoryData<GenerationEngine, int> CancellationPoints()
    {
        // Cancel from inside each report but the last (after Completed the model is returned): 10 points on the Andes
        // engine (manifest .. decoder created), 6 on ONNX Runtime GenAI.
        var data = new TheoryData<GenerationEngine, int>();
        for (int i = 0; i < 10; i++)
        {
            data.Add(GenerationEngine.Andes, i);
        }

        for (int i = 0; i < 6; i++)
        {
            data.Add(GenerationEngine.OnnxRuntimeGenAI, i);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CancellationPoints))]
    public async Task CancellingAtAnyStepThrowsAndLeavesNothingOpen(GenerationEngine engine, int cancelAt)
    {
        using TemporaryDirectory temp = TestModels.CopyModel(TestModels.TinyFp32Model);
        using var cts = new CancellationTokenSource();
        int reports = 0;
        var recorder = new Recorder(r =>
        {
            if (reports++ == cancelAt)
            {
                cts.Cancel();
            }
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => AndesModel.LoadAsync(temp.Path, new AndesModelOptions { Engine = engine }, recorder, cts.Token));

        // Nothing after the report that cancelled, and no session, mapping or open file of the folder survives.
        Assert.Equal(cancelAt + 1, recorder.Reports.Count);
        Assert.DoesNotContain(recorder.Reports, r => r.Stage == ModelLoadStage.Completed);
        Assert.Empty(ProcessFiles.HeldUnder(temp.Path));
        Directory.Delete(temp.Path, recursive: true);
    }

    [Fact]
    public async Task AnAlreadyCancelledTokenReportsNothing()
    {
        var recorder = new Recorder();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => AndesModel.LoadAsync(TestModels.TinyFp32Model, progress: recorder, cancellationToken: new CancellationToken(canceled: true)));
        Assert.Empty(recorder.Reports);
    }

    [Fact]
    public async Task CancellingAfterCompletedStillReturnsTheModel()
    {
        using var cts = new CancellationTokenSource();
        var recorder = new Recorder(r =>
        {
            if (r.Stage == ModelLoadStage.Completed)
            {
                cts.Cancel();
            }
        });

        using AndesModel model = await AndesModel.LoadAsync(TestModels.TinyFp32Model, progress: recorder, cancellationToken: cts.Token);
        Assert.True(cts.IsCancellationRequested);
        Assert.NotEmpty(model.EncodePrompt(AndesChatTemplate.Default.Render([new Microsoft.Extensions.AI.ChatMessage(Microsoft.Extensions.AI.ChatRole.User, "hi")])));
    }

    [Fact]
    public async Task AFailingLoadDisposesWhatItCreatedAndThrowsTheSameErrorAsLoad()
    {
        // The decoder's weights are damaged (no manifest to catch it first): the embedding and vision sessions created
        // before it must be disposed.
        using TemporaryDirectory temp = TestModels.CopyModel(TestModels.TinyFp32Model, withManifest: false);
        string data = Path.Combine(temp.Path, "decoder.onnx.data");
        using (FileStream stream = File.OpenWrite(data))
        {
            stream.SetLength(stream.Length / 3);
        }

        var recorder = new Recorder();
        ModelConfigurationException e = await Assert.ThrowsAsync<ModelConfigurationException>(() => AndesModel.LoadAsync(temp.Path, progress: recorder));
        Assert.Equal(Path.Combine(temp.Path, "decoder.onnx"), e.FilePath);
        Assert.Equal(2, recorder.Reports.Count(r => r.Stage == ModelLoadStage.SessionCreated));
        Assert.Empty(ProcessFiles.HeldUnder(temp.Path));

        ModelConfigurationException sync = Assert.Throws<ModelConfigurationException>(() => AndesModel.Load(temp.Path));
        Assert.Equal(e.FilePath, sync.FilePath);
    }

    [Fact]
    public async Task AProgressCallbackThatThrowsFailsTheLoadAndDisposesTheModel()
    {
        using TemporaryDirectory temp = TestModels.CopyModel(TestModels.TinyFp32Model);
        var recorder = new Recorder(r =>
        {
            if (r.Stage == ModelLoadStage.Completed)
            {
                throw new InvalidOperationException("the callback failed");
            }
        });

        InvalidOperationException e = await Assert.ThrowsAsync<InvalidOperationException>(() => AndesModel.LoadAsync(temp.Path, progress: recorder));
        Assert.Equal("the callback failed", e.Message);
        Assert.Empty(ProcessFiles.HeldUnder(temp.Path));
    }
}
