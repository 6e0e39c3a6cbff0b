using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Panel.Surveys.Answering;

/// <summary>
/// The randomness of answering, from an injected cryptographic source: resume codes and public link ids that
/// cannot be guessed, and the shuffle that puts answers in an order unrelated to when they came.
/// </summary>
public sealed class AnswerRandom(RandomNumberGenerator random)
{
    /// <summary>A URL-safe random string of <paramref name="bytes"/> bytes (24 bytes: 32 characters).</summary>
    public string NewCode(int bytes = 24)
    {
        Span<byte> buffer = stackalloc byte[bytes];
        random.GetBytes(buffer);
        return Convert.ToBase64String(buffer).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    /// <summary>Fisher–Yates with unbiased draws.</summary>
    public void Shuffle<T>(IList<T> items)
    {
        for (var i = items.Count - 1; i > 0; i--)
        {
            var j = Below(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    private int Below(int exclusiveMax)
    {
        // Reject draws from the incomplete last block, so every value is equally likely.
        var limit = uint.MaxValue - (uint.MaxValue % (uint)exclusiveMax);
        Span<byte> buffer = stackalloc byte[4];
        uint draw;
        do
        {
            random.GetBytes(buffer);
            draw = BinaryPrimitives.ReadUInt32LittleEndian(buffer);
        }
        while (draw >= limit);

        return (int)(draw % (uint)exclusiveMax);
    }
}
