using System.Collections.Immutable;

namespace PromptKit;

/// <summary>The ROUGE scores of one prediction, one <see cref="RougeScore"/> for each computed <see cref="RougeType"/>.</summary>
/// <remarks>Instances are immutable and thread-safe.</remarks>
public sealed class RougeResult
{
    private readonly RougeScore _rouge1;
    private readonly RougeScore _rouge2;
    private readonly RougeScore _rougeL;
    private readonly RougeScore _rougeLsum;
    private readonly int _computedMask;

    internal RougeResult(ImmutableArray<RougeType> types, ReadOnlySpan<RougeScore> scoresByType)
    {
        Types = types;
        _rouge1 = scoresByType[(int)RougeType.Rouge1];
        _rouge2 = scoresByType[(int)RougeType.Rouge2];
        _rougeL = scoresByType[(int)RougeType.RougeL];
        _rougeLsum = scoresByType[(int)RougeType.RougeLsum];
        foreach (RougeType type in types)
        {
            _computedMask |= 1 << (int)type;
        }
    }

    /// <summary>Gets the computed types, in the order of <see cref="RougeOptions.Types"/>.</summary>
    public ImmutableArray<RougeType> Types { get; }

    /// <summary>Gets the ROUGE-1 score, or <see langword="null"/> when it was not computed.</summary>
    public RougeScore? Rouge1 => Contains(RougeType.Rouge1) ? _rouge1 : null;

    /// <summary>Gets the ROUGE-2 score, or <see langword="null"/> when it was not computed.</summary>
    public RougeScore? Rouge2 => Contains(RougeType.Rouge2) ? _rouge2 : null;

    /// <summary>Gets the ROUGE-L score, or <see langword="null"/> when it was not computed.</summary>
    public RougeScore? RougeL => Contains(RougeType.RougeL) ? _rougeL : null;

    /// <summary>Gets the ROUGE-Lsum score, or <see langword="null"/> when it was not computed.</summary>
    public RougeScore? RougeLsum => Contains(RougeType.RougeLsum) ? _rougeLsum : null;

    /// <summary>Gets the score of <paramref name="type"/>.</summary>
    /// <param name="type">The ROUGE type.</param>
    /// <returns>The score.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="type"/> is not a defined <see cref="RougeType"/>.</exception>
    /// <exception cref="KeyNotFoundException"><paramref name="type"/> was not computed (it is not in <see cref="Types"/>).</exception>
    public RougeScore this[RougeType type]
    {
        get
        {
            if (!TryGetScore(type, out RougeScore score))
            {
                throw new KeyNotFoundException(
                    $"ROUGE type {type} was not computed. Add it to {nameof(RougeOptions)}.{nameof(RougeOptions.Types)} " +
                    $"or use {nameof(TryGetScore)}.");
            }

            return score;
        }
    }

    /// <summary>Gets a value indicating whether <paramref name="type"/> was computed.</summary>
    /// <param name="type">The ROUGE type.</param>
    /// <returns><see langword="true"/> when <paramref name="type"/> is in <see cref="Types"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="type"/> is not a defined <see cref="RougeType"/>.</exception>
    public bool Contains(RougeType type)
    {
        RougeMetric.ThrowIfUndefined(type);
        return (_computedMask & (1 << (int)type)) != 0;
    }

    /// <summary>Gets the score of <paramref name="type"/> when it was computed.</summary>
    /// <param name="type">The ROUGE type.</param>
    /// <param name="score">The score, or <see langword="default"/> when <paramref name="type"/> was not computed.</param>
    /// <returns><see langword="true"/> when <paramref name="type"/> was computed.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="type"/> is not a defined <see cref="RougeType"/>.</exception>
    public bool TryGetScore(RougeType type, out RougeScore score)
    {
        if (!Contains(type))
        {
            score = default;
            return false;
        }

        score = type switch
        {
            RougeType.Rouge1 => _rouge1,
            RougeType.Rouge2 => _rouge2,
            RougeType.RougeL => _rougeL,
            _ => _rougeLsum,
        };
        return true;
    }

    /// <inheritdoc/>
    public override string ToString()
    {
        var builder = new System.Text.StringBuilder();
        foreach (RougeType type in Types)
        {
            RougeScore score = this[type];
            builder.Append(builder.Length == 0 ? string.Empty : ", ")
                .Append(type)
                .Append(System.Globalization.CultureInfo.InvariantCulture, $": P={score.Precision:F4} R={score.Recall:F4} F={score.FMeasure:F4}");
        }

        return builder.ToString();
    }
}
