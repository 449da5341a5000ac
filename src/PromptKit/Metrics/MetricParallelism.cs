using System.Globalization;

namespace PromptKit;

/// <summary>Splits work over contiguous index ranges that run on several cores.</summary>
internal static class MetricParallelism
{
    /// <summary>Corpus scores split their segments into chunks of at least this many before spreading them over cores.</summary>
    public const int MinimumSegmentsPerChunk = 64;

    /// <summary>Turns a <c>maxDegreeOfParallelism</c> argument (-1 = one per processor, else at least 1) into a count.</summary>
    public static int Resolve(int maxDegreeOfParallelism, string paramName)
    {
        if (maxDegreeOfParallelism == -1)
        {
            return Environment.ProcessorCount;
        }

        if (maxDegreeOfParallelism < 1)
        {
            throw new ArgumentOutOfRangeException(
                paramName,
                maxDegreeOfParallelism,
                string.Create(CultureInfo.InvariantCulture, $"The degree of parallelism must be at least 1, or -1 for one thread per processor ({Environment.ProcessorCount} here)."));
        }

        return maxDegreeOfParallelism;
    }

    /// <summary>The number of contiguous chunks <paramref name="count"/> items are split into.</summary>
    public static int ChunkCount(int count, int degree, int minimumPerChunk) =>
        Math.Max(1, Math.Min(degree, count / Math.Max(1, minimumPerChunk)));

    /// <summary>
    /// Runs <paramref name="body"/>(chunk, start, end) for the <paramref name="chunks"/> contiguous ranges that split
    /// [0, <paramref name="count"/>) as evenly as possible: on the calling thread when there is one chunk, else in parallel.
    /// </summary>
    public static void Run(int count, int chunks, Action<int, int, int> body)
    {
        if (chunks <= 1)
        {
            body(0, 0, count);
            return;
        }

        Parallel.For(
            0,
            chunks,
            new ParallelOptions { MaxDegreeOfParallelism = chunks },
            chunk => body(chunk, Start(count, chunks, chunk), Start(count, chunks, chunk + 1)));
    }

    /// <summary>
    /// Sums per-item statistics over [0, <paramref name="count"/>): one statistics object per chunk, filled by
    /// <paramref name="accumulateRange"/>(start, end, statistics), then added in chunk order with <paramref name="add"/>.
    /// With integer counts the result is the one-thread sum exactly.
    /// </summary>
    public static TStatistics SumInChunks<TStatistics>(
        int count, int maxDegreeOfParallelism, string paramName, Func<TStatistics> create, Action<int, int, TStatistics> accumulateRange, Action<TStatistics, TStatistics> add)
    {
        int chunks = ChunkCount(count, Resolve(maxDegreeOfParallelism, paramName), MinimumSegmentsPerChunk);
        var parts = new TStatistics[chunks];
        Run(count, chunks, (chunk, start, end) =>
        {
            TStatistics part = create();
            accumulateRange(start, end, part);
            parts[chunk] = part;
        });
        for (int i = 1; i < parts.Length; i++)
        {
            add(parts[0], parts[i]);
        }

        return parts[0];
    }

    private static int Start(int count, int chunks, int chunk) => (int)((long)count * chunk / chunks);
}
