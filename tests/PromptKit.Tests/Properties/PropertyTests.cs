using System.Text.Json;
using CsCheck;
using Microsoft.Extensions.Options;
using PromptKit.Fuzzing;

namespace PromptKit.Tests.Properties;

/// <summary>
/// Property tests (CsCheck, every iteration seeded through <see cref="PropertyCheck"/>): metric invariants, render →
/// parse round trips and options validation. The case counts are listed in docs/reliability.md ("Property tests").
/// </summary>
public sealed class PropertyTests
{
    private static readonly Gen<string> Word = Gen.String[Gen.Char["abcdefghij"], 1, 6];

    // Letters, digits, punctuation the 13a and international tokenizers split off, accents, CJK, an emoji, a
    // combining mark and odd white space: the characters where a tokenizer could lose or invent a token.
    private static readonly Gen<string> Noisy = Gen.String[Gen.Char["abcXYZ019.,;:!?'\"-()&<>éüßÅ\u0301今日😀\u00a0\t\n "], 0, 60];

    [Fact]
    public void Bleu_IdenticalTexts_AreHundredUnderEveryTokenizerAndCase()
    {
        BleuMetric[] metrics =
        [
            new(new BleuOptions { EffectiveOrder = true }),
            new(new BleuOptions { EffectiveOrder = true, Lowercase = true }),
            new(new BleuOptions { Tokenizer = BleuTokenizer.International, EffectiveOrder = true }),
            new(new BleuOptions { Tokenizer = BleuTokenizer.None, EffectiveOrder = true }),
        ];

        Noisy.SampleSeeded(text =>
        {
            foreach (BleuMetric metric in metrics)
            {
                BleuScore score = metric.Score(text, [text]);
                if (score.SystemLength == 0)
                {
                    score.Score.Should().Be(0.0, "a text without tokens scores 0, not 100");
                }
                else
                {
                    score.Score.Should().BeApproximately(100.0, 1e-9, metric.Signature);
                }
            }
        }, iterations: 400, seed: 11);
    }

    [Fact]
    public void Rouge_SingleReference_IsSymmetricAndOneForIdenticalTexts()
    {
        RougeMetric[] metrics = [new(), new(new RougeOptions { UseStemmer = true })];
        Gen.Select(Noisy, Noisy).SampleSeeded(pair =>
        {
            var (a, b) = pair;
            foreach (RougeMetric metric in metrics)
            {
                RougeResult forward = metric.Score(a, b);
                RougeResult backward = metric.Score(b, a);
                foreach (RougeType type in metric.Types)
                {
                    if (type == RougeType.RougeLsum && (a.Contains('\n', StringComparison.Ordinal) || b.Contains('\n', StringComparison.Ordinal)))
                    {
                        // Summary-level LCS takes the union of LCS hits per reference sentence: not symmetric when
                        // either text has several lines (rouge-score computes it the same way).
                        continue;
                    }

                    // F is symmetric in the two texts; precision and recall trade places.
                    backward[type].FMeasure.Should().BeApproximately(forward[type].FMeasure, 1e-12, type.ToString());
                    backward[type].Precision.Should().Be(forward[type].Recall);
                    forward[type].FMeasure.Should().BeInRange(0.0, 1.0);
                }

                double self = metric.Score(a, a)[RougeType.Rouge1].FMeasure;
                self.Should().Match(f => f == 0.0 || Math.Abs(f - 1.0) < 1e-12, "identical texts score 1 (0 when there is no token)");
            }
        }, iterations: 300, seed: 12);
    }

    [Fact]
    public void Rouge_MultiReference_IsTheBestSingleReferenceNotASymmetricScore()
    {
        // Symmetric "where it should be": with several references rouge-score keeps the best F over the references,
        // which is not symmetric; it is the maximum of the single-reference scores.
        var metric = new RougeMetric();
        Gen.Select(Noisy, Noisy, Noisy).SampleSeeded(triple =>
        {
            var (prediction, first, second) = triple;
            RougeResult multi = metric.ScoreMulti([first, second], prediction);
            foreach (RougeType type in metric.Types)
            {
                double best = Math.Max(metric.Score(first, prediction)[type].FMeasure, metric.Score(second, prediction)[type].FMeasure);
                multi[type].FMeasure.Should().BeApproximately(best, 1e-12, type.ToString());
            }
        }, iterations: 200, seed: 13);
    }

    [Fact]
    public void Chrf_IdenticalTexts_AreHundredAndScoresStayInRange()
    {
        ChrfMetric[] metrics = [new(), new(new ChrfOptions { WordOrder = 2 }), new(new ChrfOptions { Lowercase = true, IncludeWhitespace = true })];
        Gen.Select(Noisy, Noisy).SampleSeeded(pair =>
        {
            var (a, b) = pair;
            foreach (ChrfMetric metric in metrics)
            {
                metric.ScoreValue(a, [b]).Should().BeInRange(0.0, 100.0 + 1e-9);
                double self = metric.ScoreValue(a, [a]);
                self.Should().Match(s => s == 0.0 || Math.Abs(s - 100.0) < 1e-9, "identical texts score 100 (0 without characters)");
            }
        }, iterations: 300, seed: 14);
    }

    [Fact]
    public void Ndcg_AnyOrder_IsWithinZeroAndOneAndOneForTheIdealOrder()
    {
        var generator = Gen.Select(Gen.Int[0, 4].Array[1, 30], Gen.Int[1, 40], Gen.Enum<NdcgGain>(), Gen.Int[0, int.MaxValue]);
        generator.SampleSeeded(sample =>
        {
            var (grades, k, gain, shuffleSeed) = sample;
            double[] relevances = [.. grades.Select(g => (double)g)];
            double[] shuffled = [.. relevances];
            new Random(shuffleSeed).Shuffle(shuffled);
            double[] ideal = [.. relevances.OrderByDescending(r => r)];

            double any = RankingMetrics.Ndcg(shuffled, k, gain);
            double best = RankingMetrics.Ndcg(ideal, k, gain);

            any.Should().BeInRange(0.0, 1.0 + 1e-12);
            if (relevances.Any(r => r > 0))
            {
                best.Should().BeApproximately(1.0, 1e-12, "the ideal order is ideal");
                any.Should().BeLessThanOrEqualTo(best + 1e-12);
            }
            else
            {
                best.Should().Be(0.0, "nothing relevant: NDCG is 0 by convention");
            }

            // Scores that order the items by their relevance give the ideal ranking too.
            RankingMetrics.FromScores(RankingMetric.Ndcg, relevances, relevances, k, gain: gain).Should().BeApproximately(best, 1e-12);
        }, iterations: 500, seed: 15);
    }

    [Fact]
    public void RankingAnswer_RenderedInAnyFormat_ParsesBackToTheSameOrder()
    {
        // Candidates with ids that cannot be list positions (all above the candidate count) and distinct titles.
        var candidatesGen = Gen.Int[2, 12].SelectMany(n => Word.Array[2, 3].Array[n]).Select(titles =>
        {
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            var candidates = new List<RankingCandidate>();
            for (int i = 0; i < titles.Length; i++)
            {
                string title = string.Join(' ', titles[i]);
                if (seen.Add(title) && !titles.Where((_, j) => j != i).Any(other => string.Join(' ', other).Contains(title, StringComparison.OrdinalIgnoreCase)))
                {
                    candidates.Add(new RankingCandidate((100 + (7 * i)).ToString(System.Globalization.CultureInfo.InvariantCulture), $"{title} ({1950 + i})"));
                }
            }

            return candidates.ToArray();
        }).Where(c => c.Length >= 2);
        var generator = Gen.Select(candidatesGen, Gen.Int[0, int.MaxValue], Gen.Int[0, 5]);
        var parser = new RankingParser();

        generator.SampleSeeded(sample =>
        {
            var (candidates, shuffleSeed, format) = sample;
            int[] order = [.. Enumerable.Range(0, candidates.Length)];
            new Random(shuffleSeed).Shuffle(order);
            string answer = RenderAnswer(candidates, order, format);

            RankingParseResult result = parser.Parse(answer, candidates);

            result.Ranking.Should().Equal(order, $"format {format}:\n{answer}");
            result.MatchedCount.Should().Be(candidates.Length);
        }, iterations: 400, seed: 16);
    }

    [Fact]
    public void CandidateList_RenderedInAPrompt_ParsesBackInInputOrder()
    {
        // A model that copies the prompt's candidate block verbatim ranks the candidates in input order, whatever
        // characters the titles hold (escaping must not change what the parser reads).
        var title = Gen.String[Gen.Char["abcdefgh &'-.,:"], 1, 12].Where(t => t.Any(char.IsAsciiLetter));
        var generator = title.Array[2, 8];
        var parser = new RankingParser();
        generator.SampleSeeded(titles =>
        {
            RankingCandidate[] candidates = [.. titles.Select((t, i) => new RankingCandidate($"m{i + 1}x", t))];
            string[] lines = [.. candidates.Select(c => $"[{c.Id}] {c.Title}")];
            Prompt prompt = new PromptBuilder().AddInstruction("Rank these.").AddCandidates(lines).Build();
            string rendered = prompt.Render();
            int open = rendered.IndexOf("\">\n", StringComparison.Ordinal) + 3;
            string block = rendered[open..rendered.LastIndexOf("\n</", StringComparison.Ordinal)];

            RankingParseResult result = parser.Parse(block, candidates);

            result.Ranking.Should().Equal(Enumerable.Range(0, candidates.Length), block);
        }, iterations: 300, seed: 17);
    }

    [Fact]
    public void UserData_AnyText_RendersAsDataAndDecodesBack()
    {
        // Arbitrary user data (including forged tags, role markers, look-alike brackets and bidi controls) keeps the
        // prompt's structure and reads back exactly: InjectionPrompt.CheckStructure, shared with the render fuzz target.
        var hostile = Gen.String[Gen.Char["ab <>/&#;:_\n\r\u2028\uFF1C\uFF1E\u2039\u202E\u2066\u200B|imstart"], 0, 40];
        Gen.Select(hostile, hostile.Array[0, 4], hostile.Array[0, 3], Gen.Bool).SampleSeeded(sample =>
        {
            var (query, history, retrieved, markdown) = sample;
            PromptFormat format = markdown ? new PromptFormat { HeadingStyle = PromptHeadingStyle.Markdown, ListStyle = PromptListStyle.Bulleted } : PromptFormat.Default;
            InjectionPrompt.CheckStructure(InjectionPrompt.Build(query, history, retrieved), format);
        }, iterations: 400, seed: 18);
    }

    [Fact]
    public void Options_RandomValues_AreRejectedExactlyWhenARuleIsBrokenAndEveryBrokenRuleIsListed()
    {
        var bleu = Gen.Select(Gen.Int[-2, 40], Gen.OneOf(Gen.Const((double?)null), Gen.Double[-2, 5].Select(d => (double?)d), Gen.Const<double?>(double.NaN)), Gen.Int[-1, 5]);
        bleu.SampleSeeded(sample =>
        {
            var (order, smoothValue, smoothing) = sample;
            var options = new BleuOptions { MaxNgramOrder = order, SmoothValue = smoothValue, Smoothing = (BleuSmoothing)smoothing };
            int broken = (order is < 1 or > 32 ? 1 : 0) + (smoothValue is double v && !(v >= 0) ? 1 : 0) + (Enum.IsDefined(options.Smoothing) ? 0 : 1);
            ExpectFailures(() => new BleuMetric(options), broken);
        }, iterations: 300, seed: 19);

        var chrf = Gen.Select(Gen.Int[-2, 40], Gen.Int[-2, 40], Gen.Int[-2, 110]);
        chrf.SampleSeeded(sample =>
        {
            var (charOrder, wordOrder, beta) = sample;
            var options = new ChrfOptions { CharOrder = charOrder, WordOrder = wordOrder, Beta = beta };
            bool rangesHold = charOrder is >= 0 and <= 32 && wordOrder is >= 0 and <= 32 && beta is >= 0 and <= 100;
            int broken = (charOrder is < 0 or > 32 ? 1 : 0) + (wordOrder is < 0 or > 32 ? 1 : 0) + (beta is < 0 or > 100 ? 1 : 0)
                + (rangesHold && charOrder == 0 && wordOrder == 0 ? 1 : 0);
            ExpectFailures(() => new ChrfMetric(options), broken);
        }, iterations: 300, seed: 20);

        var parser = Gen.Select(Gen.Int[-5, 70_000], Gen.Int[-1, 3]);
        parser.SampleSeeded(sample =>
        {
            var (maxLength, omitted) = sample;
            var options = new RankingParserOptions { MaxAnswerLength = maxLength, OmittedOrder = (OmittedCandidateOrder)omitted };
            int broken = (maxLength < 1 ? 1 : 0) + (Enum.IsDefined(options.OmittedOrder) ? 0 : 1);
            ExpectFailures(() => new RankingParser(options), broken);
        }, iterations: 300, seed: 21);
    }

    private static void ExpectFailures(Func<object> construct, int broken)
    {
        if (broken == 0)
        {
            construct.Should().NotThrow();
        }
        else
        {
            construct.Should().Throw<OptionsValidationException>().Which.Failures.Should().HaveCount(broken);
        }
    }

    private static string RenderAnswer(RankingCandidate[] candidates, int[] order, int format) => format switch
    {
        0 => string.Join('\n', order.Select((c, i) => $"{i + 1}. {candidates[c].Id}")),
        1 => JsonSerializer.Serialize(order.Select(c => candidates[c].Id)),
        2 => string.Join(", ", order.Select(c => candidates[c].Id)),
        3 => string.Join('\n', order.Select((c, i) => $"{i + 1}. {candidates[c].Title}")),
        4 => string.Join('\n', order.Select(c => $"- [{candidates[c].Id}] {candidates[c].Title}")),
        _ => "Here is my ranking:\n\n" + string.Join('\n', order.Select((c, i) => $"**{i + 1}.** {candidates[c].Title} — a good pick")),
    };
}
