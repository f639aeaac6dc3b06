using System.Buffers;
using System.Collections.Concurrent;
using System.Text;
using Microsoft.ML.Tokenizers;

namespace Andes.GenAI;

/// <summary>
/// AndesVL's tokenizer (Qwen2 byte-level BPE with 26 added tokens), on Microsoft.ML.Tokenizers' <see cref="BpeTokenizer"/>,
/// giving the same ids as Hugging Face <c>tokenizers</c> for <c>encode(text, add_special_tokens=False)</c> and the same text
/// as its <c>decode(ids, skip_special_tokens)</c>.
/// </summary>
/// <remarks>
/// <para>
/// Loaded from a Hugging Face <c>tokenizer.json</c> (<see cref="Create(string)"/>) or from GPT-2-style
/// <c>vocab.json</c> + <c>merges.txt</c> files (<see cref="Create(string, string, AndesTokenizerOptions?)"/>).
/// Added tokens are split off first (leftmost-longest), the text between them is NFC-normalised and split with the
/// Qwen2 pattern over code points, and each piece is BPE-encoded at the byte level. No BOS/EOS is added.
/// </para>
/// <para>
/// Thread safety: an instance is immutable after creation (apart from a bounded, concurrent cache of encoded pieces)
/// and safe for concurrent use from any number of threads; so is the underlying <see cref="BpeTokenizer"/>. A
/// <see cref="StreamingDetokenizer"/> is per generation and not thread-safe.
/// </para>
/// </remarks>
public sealed class AndesTokenizer
{
    private readonly BpeTokenizer _bpe;
    private readonly string?[] _idToToken;
    private readonly byte[] _tokenBytes;
    private readonly int[] _tokenByteOffsets;
    private readonly bool[] _isSpecial;
    private readonly Dictionary<string, int> _addedTokenIds;
    private readonly Lazy<Dictionary<string, int>> _tokenToId;
    private readonly AddedTokenMatcher _addedTokenMatcher;
    private readonly ConcurrentDictionary<string, int[]> _pieceCache = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int[]>.AlternateLookup<ReadOnlySpan<char>> _pieceCacheLookup;
    private const int MaxCachedPieces = 65_536;
    private const int MaxCachedPieceLength = 128;
    private const int MaxTokenId = 16_777_215;

    private AndesTokenizer(TokenizerData data)
    {
        string source = data.Source;
        foreach (AddedToken token in data.AddedTokens)
        {
            if (token.LStrip || token.RStrip || token.SingleWord)
            {
                throw new NotSupportedException($"{source}: added token {token.Id} '{token.Content}' uses lstrip/rstrip/single_word, which is not supported.");
            }
        }

        int maxId = -1;
        foreach (KeyValuePair<string, int> entry in data.Vocabulary)
        {
            maxId = Math.Max(maxId, entry.Value);
        }

        foreach (AddedToken token in data.AddedTokens)
        {
            maxId = Math.Max(maxId, token.Id);
        }

        if (maxId > MaxTokenId)
        {
            throw new InvalidDataException($"{source}: token id {maxId} is out of range (at most {MaxTokenId}).");
        }

        VocabularySize = maxId + 1;
        _idToToken = new string?[VocabularySize];

        // A JSON object may repeat a key; BpeTokenizer would refuse the repeated token with an ArgumentException.
        var tokens = new HashSet<string>(data.Vocabulary.Count, StringComparer.Ordinal);
        foreach (KeyValuePair<string, int> entry in data.Vocabulary)
        {
            if (_idToToken[entry.Value] is not null)
            {
                throw new InvalidDataException($"{source}: vocabulary id {entry.Value} is used by both '{_idToToken[entry.Value]}' and '{entry.Key}'.");
            }

            if (!tokens.Add(entry.Key))
            {
                throw new InvalidDataException($"{source}: vocabulary token '{entry.Key}' is listed twice.");
            }

            _idToToken[entry.Value] = entry.Key;
        }

        _isSpecial = new bool[VocabularySize];
        _addedTokenIds = new Dictionary<string, int>(StringComparer.Ordinal);
        var addedById = new Dictionary<int, AddedToken>();
        foreach (AddedToken token in data.AddedTokens)
        {
            if (!addedById.TryAdd(token.Id, token) || !_addedTokenIds.TryAdd(token.Content, token.Id))
            {
                throw new InvalidDataException($"{source}: added token {token.Id} '{token.Content}' is duplicated.");
            }

            _idToToken[token.Id] = token.Content;
            _isSpecial[token.Id] = token.Special;
        }

        AddedTokens = [.. data.AddedTokens.OrderBy(t => t.Id)];
        (_tokenBytes, _tokenByteOffsets) = BuildTokenBytes(_idToToken);
        MaxTokenByteCount = 0;
        for (int id = 0; id < VocabularySize; id++)
        {
            MaxTokenByteCount = Math.Max(MaxTokenByteCount, _tokenByteOffsets[id + 1] - _tokenByteOffsets[id]);
        }

        var matcher = new AddedTokenMatcher(AddedTokens);
        _addedTokenMatcher = matcher;
        _pieceCacheLookup = _pieceCache.GetAlternateLookup<ReadOnlySpan<char>>();
        var options = new BpeOptions(data.Vocabulary)
        {
            Merges = data.Merges,
            ByteLevel = true,
            PreTokenizer = new AddedTokenAwarePreTokenizer(matcher, data.SplitPattern),
            Normalizer = data.NormalizeNfc ? new AddedTokenAwareNfcNormalizer(matcher) : null,
            SpecialTokens = AddedTokens.Count == 0 ? null : _addedTokenIds,
        };

        try
        {
            _bpe = BpeTokenizer.Create(options);
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidDataException($"{source}: {e.Message}", e);
        }

        SplitPattern = data.SplitPattern;
        NormalizesNfc = data.NormalizeNfc;
        _tokenToId = new Lazy<Dictionary<string, int>>(BuildTokenToId, LazyThreadSafetyMode.ExecutionAndPublication);

        EndOfTextId = AddedTokenId("<|endoftext|>");
        EndOfTurnId = AddedTokenId("<|im_end|>");
        StartOfTurnId = AddedTokenId("<|im_start|>");
        ImageStartId = AddedTokenId("<img>");
        ImageEndId = AddedTokenId("</img>");
        ImagePadId = AddedTokenId("<|vision_pad|>");
        ThinkStartId = AddedTokenId("<think>");
        ThinkEndId = AddedTokenId("</think>");
        ToolCallStartId = AddedTokenId("<tool_call>");
        ToolCallEndId = AddedTokenId("</tool_call>");
    }

    /// <summary>Gets the underlying Microsoft.ML.Tokenizers tokenizer (a byte-level <see cref="BpeTokenizer"/> with the added-token-aware pre-tokenizer and normaliser); its encoding matches this instance.</summary>
    public Tokenizer Tokenizer => _bpe;

    /// <summary>
    /// Gets the number of token ids (highest vocabulary or added-token id + 1; 151669 for AndesVL). The model's
    /// embedding may have more rows (151936); ids without a token decode to nothing.
    /// </summary>
    public int VocabularySize { get; }

    /// <summary>Gets the added tokens, by id.</summary>
    public IReadOnlyList<AddedToken> AddedTokens { get; }

    /// <summary>Gets the pre-tokenisation pattern.</summary>
    public ByteLevelSplitPattern SplitPattern { get; }

    /// <summary>Gets a value indicating whether text between added tokens is NFC-normalised.</summary>
    public bool NormalizesNfc { get; }

    /// <summary>Gets the largest number of UTF-8 bytes a single token decodes to.</summary>
    public int MaxTokenByteCount { get; }

    /// <summary>Gets the id of <c>&lt;|endoftext|&gt;</c> (151643; generation also stops on it), or -1 if absent.</summary>
    public int EndOfTextId { get; }

    /// <summary>Gets the id of <c>&lt;|im_end|&gt;</c> (151645; end of a turn, the eos token), or -1 if absent.</summary>
    public int EndOfTurnId { get; }

    /// <summary>Gets the id of <c>&lt;|im_start|&gt;</c> (151644; start of a turn), or -1 if absent.</summary>
    public int StartOfTurnId { get; }

    /// <summary>Gets the id of <c>&lt;img&gt;</c> (151652; starts an image), or -1 if absent.</summary>
    public int ImageStartId { get; }

    /// <summary>Gets the id of <c>&lt;/img&gt;</c> (151653; ends an image), or -1 if absent.</summary>
    public int ImageEndId { get; }

    /// <summary>Gets the id of <c>&lt;|vision_pad|&gt;</c> (151654; one per image embedding row), or -1 if absent.</summary>
    public int ImagePadId { get; }

    /// <summary>Gets the id of <c>&lt;think&gt;</c> (151667; not special), or -1 if absent.</summary>
    public int ThinkStartId { get; }

    /// <summary>Gets the id of <c>&lt;/think&gt;</c> (151668; not special), or -1 if absent.</summary>
    public int ThinkEndId { get; }

    /// <summary>Gets the id of <c>&lt;tool_call&gt;</c> (151657; not special), or -1 if absent.</summary>
    public int ToolCallStartId { get; }

    /// <summary>Gets the id of <c>&lt;/tool_call&gt;</c> (151658; not special), or -1 if absent.</summary>
    public int ToolCallEndId { get; }

    /// <summary>Loads a Hugging Face <c>tokenizer.json</c> (byte-level BPE: Qwen2 or GPT-2 pre-tokenizer, NFC or no normaliser).</summary>
    /// <param name="tokenizerJsonPath">The path of <c>tokenizer.json</c>.</param>
    /// <returns>The tokenizer.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is malformed (the message names the file and field).</exception>
    /// <exception cref="NotSupportedException">The file uses a model, normaliser or pre-tokenizer this class does not implement.</exception>
    public static AndesTokenizer Create(string tokenizerJsonPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(tokenizerJsonPath);
        byte[] json = File.ReadAllBytes(tokenizerJsonPath);
        return new AndesTokenizer(TokenizerFileReader.ReadTokenizerJson(json, tokenizerJsonPath));
    }

    /// <summary>Loads a Hugging Face <c>tokenizer.json</c> from a stream (read to the end, not disposed).</summary>
    /// <param name="tokenizerJson">The stream.</param>
    /// <returns>The tokenizer.</returns>
    /// <exception cref="InvalidDataException">The content is malformed.</exception>
    /// <exception cref="NotSupportedException">The content uses a feature this class does not implement.</exception>
    public static AndesTokenizer Create(Stream tokenizerJson)
    {
        byte[] json = TokenizerFileReader.ReadAllBytes(tokenizerJson);
        return new AndesTokenizer(TokenizerFileReader.ReadTokenizerJson(json, "tokenizer.json (stream)"));
    }

    /// <summary>
    /// Builds a tokenizer from GPT-2-style byte-level BPE files: <c>vocab.json</c> (token to id) and <c>merges.txt</c>.
    /// </summary>
    /// <param name="vocabPath">The path of <c>vocab.json</c>.</param>
    /// <param name="mergesPath">The path of <c>merges.txt</c>.</param>
    /// <param name="options">Added tokens, split pattern and normalisation; defaults to Qwen2 + NFC with no added tokens.</param>
    /// <returns>The tokenizer.</returns>
    /// <exception cref="FileNotFoundException">A file does not exist.</exception>
    /// <exception cref="InvalidDataException">A file is malformed.</exception>
    public static AndesTokenizer Create(string vocabPath, string mergesPath, AndesTokenizerOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(vocabPath);
        ArgumentException.ThrowIfNullOrEmpty(mergesPath);
        return Create(File.ReadAllBytes(vocabPath), vocabPath, File.ReadAllBytes(mergesPath), mergesPath, options);
    }

    /// <summary>Builds a tokenizer from GPT-2-style <c>vocab.json</c> and <c>merges.txt</c> streams (read to the end, not disposed).</summary>
    /// <param name="vocab">The <c>vocab.json</c> stream.</param>
    /// <param name="merges">The <c>merges.txt</c> stream.</param>
    /// <param name="options">Added tokens, split pattern and normalisation; defaults to Qwen2 + NFC with no added tokens.</param>
    /// <returns>The tokenizer.</returns>
    /// <exception cref="InvalidDataException">A stream's content is malformed.</exception>
    public static AndesTokenizer Create(Stream vocab, Stream merges, AndesTokenizerOptions? options = null)
        => Create(TokenizerFileReader.ReadAllBytes(vocab), "vocab.json (stream)", TokenizerFileReader.ReadAllBytes(merges), "merges.txt (stream)", options);

    private static AndesTokenizer Create(byte[] vocab, string vocabSource, byte[] merges, string mergesSource, AndesTokenizerOptions? options)
        => new(ReadVocabularyAndMerges(vocab, vocabSource, merges, mergesSource, options));

    /// <summary>
    /// Writes a Hugging Face <c>tokenizer.json</c> for GPT-2-style byte-level BPE files (what Hugging Face's fast
    /// tokenizer would save for them), so that a model folder carries one self-contained tokenizer file. Andes'
    /// model builder writes the <c>tokenizer.json</c> of a converted AndesVL checkpoint this way.
    /// </summary>
    /// <param name="vocabPath">The path of <c>vocab.json</c>.</param>
    /// <param name="mergesPath">The path of <c>merges.txt</c>.</param>
    /// <param name="options">Added tokens, split pattern and normalisation; defaults to Qwen2 + NFC with no added tokens.</param>
    /// <param name="destination">The stream written to (not disposed).</param>
    /// <exception cref="FileNotFoundException">A file does not exist.</exception>
    /// <exception cref="InvalidDataException">
    /// A file is malformed, a merge uses or makes a token missing from the vocabulary, or an added token takes the id
    /// of a different vocabulary token: the message starts with the file's path.
    /// </exception>
    public static void WriteTokenizerJson(string vocabPath, string mergesPath, AndesTokenizerOptions? options, Stream destination)
    {
        ArgumentException.ThrowIfNullOrEmpty(vocabPath);
        ArgumentException.ThrowIfNullOrEmpty(mergesPath);
        ArgumentNullException.ThrowIfNull(destination);
        TokenizerData data = ReadVocabularyAndMerges(File.ReadAllBytes(vocabPath), vocabPath, File.ReadAllBytes(mergesPath), mergesPath, options);
        TokenizerFileWriter.Write(data, destination);
    }

    private static TokenizerData ReadVocabularyAndMerges(byte[] vocab, string vocabSource, byte[] merges, string mergesSource, AndesTokenizerOptions? options)
    {
        options ??= new AndesTokenizerOptions();
        var data = new TokenizerData
        {
            Vocabulary = TokenizerFileReader.ReadVocabJson(vocab, vocabSource),
            Merges = TokenizerFileReader.ReadMergesTxt(merges, mergesSource),
            AddedTokens = [.. options.AddedTokens],
            SplitPattern = options.SplitPattern,
            NormalizeNfc = options.NormalizeNfc,
            Source = $"{vocabSource} + {mergesSource}",
        };
        TokenizerFileReader.CheckConsistency(data, vocabSource, mergesSource);
        return data;
    }

    internal static AndesTokenizer Create(TokenizerData data) => new(data);

    /// <summary>Encodes text to token ids, like Hugging Face <c>encode(text, add_special_tokens=False)</c>.</summary>
    /// <param name="text">The text; added tokens in it (e.g. <c>&lt;|im_start|&gt;</c>) become their ids.</param>
    /// <returns>The ids.</returns>
    public int[] EncodeToIds(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
        {
            return [];
        }

        var ids = new List<int>(text.Length / 3 + 4);
        EncodeToIds(text, ids);
        return [.. ids];
    }

    /// <summary>Encodes text to token ids, like Hugging Face <c>encode(text, add_special_tokens=False)</c>.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The ids.</returns>
    public int[] EncodeToIds(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return EncodeToIds(text.AsSpan());
    }

    /// <summary>Encodes text and appends the ids to <paramref name="destination"/> (reuse the list to avoid allocations).</summary>
    /// <param name="text">The text.</param>
    /// <param name="destination">The list the ids are appended to.</param>
    public void EncodeToIds(ReadOnlySpan<char> text, List<int> destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        int position = 0;
        while (position < text.Length)
        {
            bool found = _addedTokenMatcher.TryFindNext(text, position, out int tokenIndex, out AddedToken? token);
            ReadOnlySpan<char> segment = text[position..tokenIndex];
            if (!segment.IsEmpty)
            {
                string? normalized = NormalizesNfc ? AddedTokenAwareNfcNormalizer.NormalizeSegment(segment) : null;
                EncodeSegment(normalized is null ? segment : normalized.AsSpan(), destination);
            }

            if (!found)
            {
                break;
            }

            destination.Add(token!.Id);
            position = tokenIndex + token.Content.Length;
        }
    }

    /// <summary>Counts the tokens <paramref name="text"/> encodes to.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The token count.</returns>
    public int CountTokens(ReadOnlySpan<char> text)
    {
        var ids = new List<int>(text.Length / 3 + 4);
        EncodeToIds(text, ids);
        return ids.Count;
    }

    // Splits text without added tokens into pieces and BPE-encodes each, through a bounded cache of piece -> ids
    // (Microsoft.ML.Tokenizers only caches pieces of at most 15 bytes, which leaves CJK runs uncached).
    private void EncodeSegment(ReadOnlySpan<char> segment, List<int> destination)
    {
        int position = 0;
        while (position < segment.Length)
        {
            int end = ByteLevelPieceSplitter.NextPieceEnd(segment, position, SplitPattern);
            ReadOnlySpan<char> piece = segment[position..end];
            if (piece.Length <= MaxCachedPieceLength && _pieceCacheLookup.TryGetValue(piece, out int[]? cached))
            {
                destination.AddRange(cached);
            }
            else
            {
                IReadOnlyList<int> ids = _bpe.EncodeToIds(piece, considerPreTokenization: false, considerNormalization: false);
                if (piece.Length <= MaxCachedPieceLength && _pieceCache.Count < MaxCachedPieces)
                {
                    _pieceCache.TryAdd(piece.ToString(), [.. ids]);
                }

                destination.AddRange(ids);
            }

            position = end;
        }
    }

    /// <summary>
    /// Decodes ids to text, like Hugging Face <c>decode(ids, skip_special_tokens)</c>: the UTF-8 bytes of all tokens are
    /// joined and decoded, invalid sequences becoming U+FFFD. Ids without a token are ignored.
    /// </summary>
    /// <param name="ids">The token ids.</param>
    /// <param name="skipSpecialTokens">
    /// Whether to drop added tokens marked special (<c>&lt;|im_end|&gt;</c>, <c>&lt;img&gt;</c>, ...); non-special added
    /// tokens such as <c>&lt;think&gt;</c> and <c>&lt;tool_call&gt;</c> are always kept.
    /// </param>
    /// <returns>The text.</returns>
    public string Decode(ReadOnlySpan<int> ids, bool skipSpecialTokens = false)
    {
        int byteCount = 0;
        foreach (int id in ids)
        {
            byteCount += GetTokenBytes(id, skipSpecialTokens).Length;
        }

        if (byteCount == 0)
        {
            return string.Empty;
        }

        byte[] rented = ArrayPool<byte>.Shared.Rent(byteCount);
        try
        {
            int position = 0;
            foreach (int id in ids)
            {
                ReadOnlySpan<byte> bytes = GetTokenBytes(id, skipSpecialTokens);
                bytes.CopyTo(rented.AsSpan(position));
                position += bytes.Length;
            }

            return Encoding.UTF8.GetString(rented, 0, byteCount);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Gets the UTF-8 bytes a token decodes to (empty for an id without a token).</summary>
    /// <param name="id">The token id.</param>
    /// <returns>The bytes; a view into the tokenizer's table, valid for its lifetime.</returns>
    public ReadOnlySpan<byte> GetTokenBytes(int id)
        => (uint)id < (uint)VocabularySize ? _tokenBytes.AsSpan(_tokenByteOffsets[id], _tokenByteOffsets[id + 1] - _tokenByteOffsets[id]) : [];

    internal ReadOnlySpan<byte> GetTokenBytes(int id, bool skipSpecialTokens)
        => skipSpecialTokens && IsSpecialToken(id) ? [] : GetTokenBytes(id);

    /// <summary>Gets the token string of an id: the byte-level vocabulary entry (e.g. <c>"Ġhello"</c>) or the added token's content.</summary>
    /// <param name="id">The token id.</param>
    /// <returns>The token, or <see langword="null"/> if the id has none.</returns>
    public string? IdToToken(int id) => (uint)id < (uint)VocabularySize ? _idToToken[id] : null;

    /// <summary>Gets the id of a token string (a byte-level vocabulary entry or an added token's content).</summary>
    /// <param name="token">The token.</param>
    /// <returns>The id, or <see langword="null"/> if there is no such token.</returns>
    public int? TokenToId(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return _tokenToId.Value.TryGetValue(token, out int id) ? id : null;
    }

    /// <summary>Gets a value indicating whether an id is an added token marked special (skipped by <c>skipSpecialTokens</c>).</summary>
    /// <param name="id">The token id.</param>
    /// <returns><see langword="true"/> for special added tokens.</returns>
    public bool IsSpecialToken(int id) => (uint)id < (uint)VocabularySize && _isSpecial[id];

    /// <summary>Creates a streaming detokenizer for one generation.</summary>
    /// <param name="skipSpecialTokens">Whether special added tokens produce no text.</param>
    /// <returns>A new detokenizer (not thread-safe).</returns>
    public StreamingDetokenizer CreateStreamingDetokenizer(bool skipSpecialTokens = false) => new(this, skipSpecialTokens);

    private int AddedTokenId(string content) => _addedTokenIds.TryGetValue(content, out int id) ? id : -1;

    private Dictionary<string, int> BuildTokenToId()
    {
        var map = new Dictionary<string, int>(VocabularySize, StringComparer.Ordinal);
        for (int id = 0; id < _idToToken.Length; id++)
        {
            if (_idToToken[id] is string token)
            {
                map.TryAdd(token, id);
            }
        }

        foreach ((string content, int id) in _addedTokenIds)
        {
            map[content] = id;
        }

        return map;
    }

    // Each token's bytes as Hugging Face's ByteLevel decoder produces them: every character mapped back through the
    // byte-level alphabet, or, if any character is outside it (e.g. a CJK added token), the token's own UTF-8.
    private static (byte[] Bytes, int[] Offsets) BuildTokenBytes(string?[] tokens)
    {
        var offsets = new int[tokens.Length + 1];
        long total = 0;
        foreach (string? token in tokens)
        {
            total += token is null ? 0 : Encoding.UTF8.GetByteCount(token);
        }

        var bytes = new byte[total];
        int position = 0;
        for (int id = 0; id < tokens.Length; id++)
        {
            offsets[id] = position;
            string? token = tokens[id];
            if (token is null)
            {
                continue;
            }

            int start = position;
            bool mapped = true;
            foreach (char c in token)
            {
                if (!ByteLevelAlphabet.TryGetByte(c, out byte b))
                {
                    mapped = false;
                    break;
                }

                bytes[position++] = b;
            }

            if (!mapped)
            {
                position = start + Encoding.UTF8.GetBytes(token, bytes.AsSpan(start));
            }
        }

        offsets[tokens.Length] = position;
        return (bytes, offsets);
    }
}
