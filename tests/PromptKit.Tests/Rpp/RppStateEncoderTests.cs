namespace PromptKit.Tests.Personalization;

public sealed class RppStateEncoderTests
{
    private static readonly RppActionSpaces Spaces = RppActionSpaces.Default;

    [Fact]
    public void Encode_FirstIteration_HasOnlyTheUserAndTheScalars()
    {
        (RppStateEncoder encoder, ItemFeatureEncoder items) = Create(rankedItems: 3);
        var episode = new RppEpisode(RppTestData.Example(), new RppPromptComposer(Spaces));
        var observation = new float[encoder.Dimension];

        encoder.Encode(episode, observation);

        var user = new float[items.UserDimension];
        items.EncodeUser(episode.Example.History, user);
        observation[..items.UserDimension].Should().Equal(user);
        observation[items.UserDimension..(encoder.StaticDimension - 3)].Should().OnlyContain(v => v == 0f, "no prompt has been sent yet");
        observation[encoder.StaticDimension - 3].Should().Be((float)episode.HistoryCount / Spaces.MaxHistoryCount);
        observation[encoder.StaticDimension..].Should().OnlyContain(v => v == 0f, "no ranking yet: count 0 and empty item slots");
    }

    [Fact]
    public void Encode_AfterAnAnswer_PacksTheTopRankedItemsBestFirstForTheGru()
    {
        (RppStateEncoder encoder, ItemFeatureEncoder items) = Create(rankedItems: 3);
        var composer = new RppPromptComposer(Spaces);
        var episode = new RppEpisode(RppTestData.Example(), composer);
        var selection = new RppSelection(1, 0, 0, 1);
        Prompt prompt = episode.Compose(selection);
        episode.Advance(selection, prompt, "1. 12 Angry Men\n2. Aliens\n3. Alien vs. Predator\n4. American President, The");
        var observation = new float[encoder.Dimension];

        encoder.Encode(episode, observation);

        encoder.Dimension.Should().Be(encoder.StaticDimension + 1 + (3 * items.Dimension));
        observation[encoder.StaticDimension - 2].Should().Be(1f / encoder.Iterations);
        observation[encoder.StaticDimension].Should().Be(3f, "three ranked items follow");
        string[] expected = ["m12", "m10", "m13"];
        var item = new float[items.Dimension];
        for (int r = 0; r < expected.Length; r++)
        {
            items.Encode(expected[r], item);
            observation.AsSpan(encoder.StaticDimension + 1 + (r * items.Dimension), items.Dimension).ToArray().Should().Equal(item);
        }
    }

    [Fact]
    public void Encode_DoesNotReadTheHeldOutTarget()
    {
        (RppStateEncoder encoder, _) = Create(rankedItems: 2);
        var composer = new RppPromptComposer(Spaces);
        var a = new float[encoder.Dimension];
        var b = new float[encoder.Dimension];
        var first = new RppEpisode(RppTestData.Example(targetIndex: 0), composer);
        var second = new RppEpisode(RppTestData.Example(targetIndex: 3), composer);
        var selection = new RppSelection(0, 0, 1, 0);
        first.Advance(selection, first.Compose(selection), "1. Aliens\n2. 12 Angry Men");
        second.Advance(selection, second.Compose(selection), "1. Aliens\n2. 12 Angry Men");

        encoder.Encode(first, a);
        encoder.Encode(second, b);

        a.Should().Equal(b);
    }

    [Fact]
    public void Encode_WrongDestinationLength_ThrowsWithParamName()
    {
        (RppStateEncoder encoder, _) = Create(rankedItems: 2);
        var episode = new RppEpisode(RppTestData.Example(), new RppPromptComposer(Spaces));

        Action act = () => encoder.Encode(episode, new float[encoder.Dimension - 1]);

        act.Should().Throw<ArgumentException>().WithParameterName("destination");
    }

    private static (RppStateEncoder Encoder, ItemFeatureEncoder Items) Create(int rankedItems)
    {
        RecommendationExample example = RppTestData.Example();
        var data = new InteractionDataset(RppTestData.History.Concat(RppTestData.Candidates), [new UserProfile(example.UserId, example.History)]);
        var items = new ItemFeatureEncoder(data);
        return (new RppStateEncoder(items, Spaces, iterations: 4, rankedItems: rankedItems), items);
    }
}
