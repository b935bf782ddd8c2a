namespace PubSub.Aws;

/// <summary>The characters SNS and SQS accept in messages and attribute values: XML 1.0's.</summary>
public static class XmlCharacters
{
    /// <summary>Tab, line feed, carriage return, U+0020-U+D7FF, U+E000-U+FFFD and paired surrogates only.</summary>
    public static bool AreValid(ReadOnlySpan<char> text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is '\t' or '\n' or '\r' || c is >= '\u0020' and <= '\uD7FF' || c is >= '\uE000' and <= '\uFFFD')
            {
                continue;
            }

            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
                continue;
            }

            return false;
        }

        return true;
    }
}
