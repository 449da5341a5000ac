using System.Collections.Immutable;
using PromptKit.Samples;

namespace PromptKit.Training.Tests;

public sealed class PromptSensitivityTests
{
    [Fact]
    public void Warning_EveryPromptGivesTheSameRanking_Warns()
    {
        ImmutableArray<int>[] answers = [[0, 1, 2], [2, 1, 0], default];
        ImmutableArray<int>[][] byPrompt = [answers, [.. answers], [.. answers]];

        PromptSensitivity.ShareOfUsersWithOneAnswer(byPrompt).Should().Be(1);
        PromptSensitivity.Warning(byPrompt).Should().Contain("do not depend on the prompt").And.Contain("100");
    }

    [Fact]
    public void Warning_PromptsChangeMostAnswers_IsNull()
    {
        ImmutableArray<int>[][] byPrompt =
        [
            [[0, 1, 2], [2, 1, 0], [1, 0, 2]],
            [[1, 0, 2], [2, 1, 0], default],
        ];

        PromptSensitivity.ShareOfUsersWithOneAnswer(byPrompt).Should().BeApproximately(1 / 3.0, 1e-12);
        PromptSensitivity.Warning(byPrompt).Should().BeNull();
    }

    [Fact]
    public void ShareOfUsersWithOneAnswer_OnePrompt_IsZero() =>
        PromptSensitivity.ShareOfUsersWithOneAnswer([[[0, 1]]]).Should().Be(0);

    [Fact]
    public void ShareOfUsersWithOneAnswer_DifferentUserCounts_Throws()
    {
        Action act = () => PromptSensitivity.ShareOfUsersWithOneAnswer([[[0], [1]], [[0]]]);

        act.Should().Throw<ArgumentException>().WithParameterName("answersByPrompt");
    }
}
