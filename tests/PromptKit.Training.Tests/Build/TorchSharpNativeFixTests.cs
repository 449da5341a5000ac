using TorchSharp;

namespace PromptKit.Training.Tests.Build;

public sealed class TorchSharpNativeFixTests
{
    [Fact]
    public void Torch_AfterBuildFix_LoadsNativeLibraryAndComputes()
    {
        using var ones = torch.ones(2, 3);

        using var sum = ones.sum();

        sum.item<float>().Should().Be(6f);
    }

    [Fact]
    public void CopiedLibTorchSharp_WhenSystemLacksVersion_HasWeakGlibcxx332Need()
    {
        bool systemHasVersion = SystemLibStdCxxHasVersion("GLIBCXX_3.4.32");
        string library = Path.Combine(AppContext.BaseDirectory, "libLibTorchSharp.so");

        ushort? flags = ElfVersionNeeds.FindFlags(library, "libstdc++.so.6", "GLIBCXX_3.4.32");

        flags.Should().NotBeNull("TorchSharp 0.107.0 declares the GLIBCXX_3.4.32 need the build step patches");
        if (systemHasVersion)
        {
            flags!.Value.Should().Be(0, "the build step is a no-op where the system libstdc++ has the version");
        }
        else
        {
            (flags!.Value & 0x2).Should().Be(0x2, "the build step marks the need weak (VER_FLG_WEAK)");
        }
    }

    private static bool SystemLibStdCxxHasVersion(string version)
    {
        byte[] needle = System.Text.Encoding.ASCII.GetBytes(version + "\0");
        string[] candidates =
        [
            "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6",
            "/usr/lib64/libstdc++.so.6", "/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6",
        ];
        foreach (string candidate in candidates)
        {
            if (File.Exists(candidate) && File.ReadAllBytes(candidate).AsSpan().IndexOf(needle) >= 0)
            {
                return true;
            }
        }

        return false;
    }
}
