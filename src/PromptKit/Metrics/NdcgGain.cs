namespace PromptKit;

/// <summary>Specifies how a relevance grade is turned into a gain when computing DCG and NDCG.</summary>
public enum NdcgGain
{
    /// <summary>Gain = grade, as trec_eval's <c>ndcg</c> and scikit-learn's <c>ndcg_score</c> on raw grades.</summary>
    Linear = 0,

    /// <summary>Gain = 2^grade - 1 (Burges et al., 2005), which weights highly relevant items more strongly.</summary>
    Exponential = 1,
}
