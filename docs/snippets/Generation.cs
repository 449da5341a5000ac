using PromptKit.Lucene;
using PromptKit;

namespace PromptKit.Snippets;

#pragma warning disable IDE0059, CS0219, CA1849

internal static class GenerationSnippets
{
    public static async Task ComposeAsync(IReadOnlyList<string> backgroundTexts, string userId, string newTitle, IReadOnlyList<UserDocument> pastDocuments)
    {
        #region composer
        var composer = new GenerationPromptComposer(
            new LuceneBm25Retriever(),                      // PromptKit.Lucene: BM25 over the past documents (title + text)
            new ExtractiveUserSummarizer(),                 // offline; or new ChatClientUserSummarizer(chatClient)
            new KeywordExtractor(backgroundTexts));         // TF-IDF, document frequencies from a background corpus

        Prompt prompt = await composer.ComposeAsync(userId, newTitle, pastDocuments);   // pastDocuments: UserDocument list
        #endregion
    }
}
