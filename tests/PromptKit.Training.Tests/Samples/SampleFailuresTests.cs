using PromptKit.Samples;

namespace PromptKit.Training.Tests;

public sealed class SampleFailuresTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"pk-failures-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Fact]
    public void PrepareOutputDirectory_FolderBelowAFile_OneLineAndExitCode2()
    {
        Directory.CreateDirectory(_folder);
        string file = Path.Combine(_folder, "a-file");
        File.WriteAllText(file, "keep me");
        var error = new StringWriter();

        int? code = SampleFailures.PrepareOutputDirectory(Path.Combine(file, "out"), error);

        code.Should().Be(2);
        error.ToString().TrimEnd().Should().StartWith("error: the output folder").And.NotContain("\n").And.Contain("--out");
        File.ReadAllText(file).Should().Be("keep me", "nothing is overwritten");
    }

    [Fact]
    public void PrepareOutputDirectory_ProcFolder_ExitCode2EvenForRoot()
    {
        var error = new StringWriter();

        int? code = SampleFailures.PrepareOutputDirectory("/proc/promptkit-test-out", error);

        code.Should().Be(2);
    }

    [Fact]
    public void PrepareOutputDirectory_WritableFolder_CreatesItAndLeavesNoProbe()
    {
        string folder = Path.Combine(_folder, "out");

        int? code = SampleFailures.PrepareOutputDirectory(folder, new StringWriter());

        code.Should().BeNull();
        Directory.Exists(folder).Should().BeTrue();
        Directory.GetFileSystemEntries(folder).Should().BeEmpty();
    }

    [Fact]
    public void Describe_ModelUnavailable_ExitCode4()
    {
        (int code, string line) = SampleFailures.Describe(new ModelUnavailableException("The frozen model is unavailable: 100 % of at least 20 calls in 30 s failed; the last failure: Connection refused."))!.Value;

        code.Should().Be(4);
        line.Should().StartWith("error: The frozen model is unavailable").And.NotContain("\n");
    }

    [Fact]
    public void Describe_CorruptCheckpointInsideAnAggregate_ExitCode2()
    {
        var corrupt = new AggregateException(new PromptKit.Training.CheckpointException("The checkpoint checksum does not match.\nDelete it."));

        (int code, string line) = SampleFailures.Describe(corrupt)!.Value;

        code.Should().Be(2);
        line.Should().Be("error: The checkpoint checksum does not match. Delete it.");
    }

    [Theory]
    [InlineData(typeof(UnauthorizedAccessException))]
    [InlineData(typeof(DirectoryNotFoundException))]
    [InlineData(typeof(FileNotFoundException))]
    [InlineData(typeof(InvalidDataException))]
    [InlineData(typeof(FormatException))]
    public void Describe_BadInput_ExitCode2(Type type)
    {
        var exception = (Exception)Activator.CreateInstance(type, "bad")!;

        SampleFailures.Describe(exception)!.Value.ExitCode.Should().Be(2);
    }

    [Fact]
    public void Describe_Bug_IsLeftToTheRuntime() =>
        SampleFailures.Describe(new InvalidOperationException("a bug")).Should().BeNull();

    [Theory]
    [InlineData("localhost:8000/v1")]
    [InlineData("127.0.0.1:9")]
    [InlineData("ftp://host/v1")]
    public void CheckEndpoint_NoHttpScheme_ThrowsNamingTheFlag(string endpoint)
    {
        Action act = () => SampleCommandLine.CheckEndpoint(endpoint, "model");

        act.Should().Throw<ArgumentException>().WithMessage("--endpoint*scheme*");
    }

    [Fact]
    public void QuickStartOptions_EndpointWithoutScheme_ExitCode2()
    {
        int? code = QuickStartOptions.TryParse(["--endpoint", "localhost:8000/v1", "--model", "m"], out _);

        code.Should().Be(2);
    }
}
