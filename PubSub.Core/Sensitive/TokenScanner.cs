using System.Text;
using System.Text.Json;
using PubSub.Json;

namespace PubSub.Sensitive;

/// <summary>Scans a reader's current token: a string, a member name, or a number read as its text (a card
/// number sent as a JSON number is still a card number; one written with a fraction or an exponent is
/// scanned as its plain integer digits too). The raw bytes are profiled first, so ordinary
/// tokens are never decoded. The walk that finds and the rewrite that redacts both call this, so whatever
/// is found is redacted.</summary>
internal static class TokenScanner
{
    /// <param name="buffer">The bytes the reader reads (for the member name).</param>
    /// <param name="member">The member holding a value token, as context (an <c>ssn</c> member).</param>
    /// <returns>The matches, or null when there are none.</returns>
    public static List<TextMatch>? Find(ref Utf8JsonReader reader, ReadOnlySpan<byte> buffer, MemberName member)
    {
        if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.PropertyName or JsonTokenType.Number))
        {
            return null;
        }

        string? text = null;
        if (reader.TokenType == JsonTokenType.Number && NumberText.PlainInteger(reader.ValueSpan) is not null)
        {
            text = NumberText.ScanText(reader.ValueSpan);
        }

        var profile = reader.ValueIsEscaped || text is not null ? TextProfile.Of(text ??= TextOf(ref reader)) : TextProfile.Of(reader.ValueSpan);
        if (!profile.MayContainSomething)
        {
            return null;
        }

        text ??= TextOf(ref reader);
        var matches = TextScanner.Find(text, member.In(buffer), profile);
        return matches.Count == 0 ? null : matches;
    }

    /// <summary>A string's decoded value, a number's text; an escaped lone surrogate (which
    /// <see cref="Utf8JsonReader"/> accepts and then cannot decode) is invalid JSON.</summary>
    private static string TextOf(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Number)
        {
            return Encoding.UTF8.GetString(reader.ValueSpan);
        }

        try
        {
            return reader.GetString()!;
        }
        catch (InvalidOperationException e)
        {
            throw new JsonException("A string holds an escape that is not valid UTF-16 (a lone surrogate).", e);
        }
    }
}

/// <summary>Where a member name is in the buffer (decoded only when asked for); <see cref="None"/> outside objects.</summary>
internal readonly record struct MemberName(int Start, int Length, bool Escaped)
{
    public static MemberName None { get; } = new(-1, 0, false);

    public static MemberName Of(ref Utf8JsonReader reader) =>
        new((int)reader.TokenStartIndex + 1, reader.ValueSpan.Length, reader.ValueIsEscaped);

    public string? In(ReadOnlySpan<byte> buffer)
    {
        if (Start < 0)
        {
            return null;
        }

        var raw = buffer.Slice(Start, Length);
        return Escaped ? JsonSerializer.Deserialize('"' + Encoding.UTF8.GetString(raw) + '"', JsonStrings.Default.String) : Encoding.UTF8.GetString(raw);
    }
}
