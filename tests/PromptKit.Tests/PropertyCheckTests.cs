using System.Text.RegularExpressions;
using CsCheck;
using Xunit.Sdk;

namespace PromptKit.Tests;

public sealed partial class PropertyCheckTests
{
    [Fact]
    public void SampleSeeded_SameBaseSeed_SeesTheSameCasesEveryRun_AndAnotherSeedOthers()
    {
        List<int> Run(ulong seed)
        {
            var seen = new List<int>();
            Gen.Int.SampleSeeded(seen.Add, iterations: 50, seed: seed);
            return seen;
        }

        List<int> first = Run(3);

        Run(3).Should().Equal(first, "every iteration is seeded, not only the first");
        Run(4).Should().NotEqual(first);
        first.Distinct().Should().HaveCountGreaterThan(40);
    }

    [Fact]
    public void SampleSeeded_Failure_PrintsTheSeedThatReplaysTheFailingCase()
    {
        int failing = 0;
        Action act = () => Gen.Int[0, 1000].SampleSeeded(
            value =>
            {
                if (value % 7 == 3)
                {
                    failing = value;
                    throw new InvalidOperationException($"bad {value}");
                }
            },
            iterations: 500,
            seed: 9);

        string message = act.Should().Throw<XunitException>().Which.Message;
        message.Should().Contain("base seed 9").And.Contain($"bad {failing}");
        string caseSeed = CaseSeed().Match(message).Groups[1].Value;
        int replayed = -1;
        Gen.Int[0, 1000].Sample(v => replayed = v, seed: caseSeed, iter: 1, threads: 1);
        replayed.Should().Be(failing);
    }

    [GeneratedRegex("seed: \"([^\"]+)\", iter: 1")]
    private static partial Regex CaseSeed();
}
