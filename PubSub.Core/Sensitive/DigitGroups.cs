namespace PubSub.Sensitive;

/// <summary>Finds card numbers and SSNs in digit groups joined by the separators people type (one to three
/// of space, dot, hyphen, slash, in any mix, after normalisation): "4111.1111 1111-1111", "078/05/1120".
/// A value must start and end on group boundaries, so a longer number never hides a shorter one inside
/// it; each group starts at most one window (at most 19 digits), so the work is linear.</summary>
internal static class DigitGroups
{
    private const int MaxSeparators = 3;

    public static void FindCards(string text, List<TextMatch> matches, List<(int Start, int End)> groups)
    {
        Span<char> digits = stackalloc char[19];
        foreach (var _ in Sequences(text, groups))
        {
            for (var g = 0; g < groups.Count; g++)
            {
                var count = 0;
                for (var h = g; h < groups.Count; h++)
                {
                    var (start, end) = groups[h];
                    if (count + end - start > digits.Length)
                    {
                        break;
                    }

                    text.AsSpan(start, end - start).CopyTo(digits[count..]);
                    count += end - start;
                    if (count >= 13 && (h == g || !Glued(text, groups[g].Start, end)) && Checks.IsCardDigits(digits[..count]))
                    {
                        Add(matches, Detectors.CreditCard, text, groups[g].Start, end);
                        g = h;
                        break;
                    }
                }
            }
        }
    }

    /// <param name="bare">Whether nine digits without the 3-2-4 grouping count too (an <c>ssn</c> member).</param>
    public static void FindSsns(string text, bool bare, List<TextMatch> matches, List<(int Start, int End)> groups)
    {
        Span<char> digits = stackalloc char[9];
        foreach (var _ in Sequences(text, groups))
        {
            var before = matches.Count;
            for (var g = 0; g < groups.Count; g++)
            {
                var (start, end) = groups[g];
                if (g + 2 < groups.Count && end - start == 3 && Length(groups[g + 1]) == 2 && Length(groups[g + 2]) == 4)
                {
                    var count = Copy(text, groups, g, g + 2, digits);
                    if (Checks.IsSsnDigits(digits[..count]))
                    {
                        Add(matches, Detectors.UsSsn, text, start, groups[g + 2].End);
                        g += 2;
                    }
                }
                else if (bare && end - start == 9 && Checks.IsSsnDigits(text.AsSpan(start, 9)))
                {
                    Add(matches, Detectors.UsSsn, text, start, end);
                }
            }

            if (bare && matches.Count == before && groups.Count > 1 && Total(groups) == 9)
            {
                var count = Copy(text, groups, 0, groups.Count - 1, digits);
                if (Checks.IsSsnDigits(digits[..count]))
                {
                    Add(matches, Detectors.UsSsn, text, groups[0].Start, groups[^1].End);
                }
            }
        }
    }

    /// <summary>Fills <paramref name="groups"/> with each sequence of joined digit groups in turn.</summary>
    private static IEnumerable<int> Sequences(string text, List<(int Start, int End)> groups)
    {
        var i = text.AsSpan().IndexOfAnyInRange('0', '9');
        while (i >= 0)
        {
            groups.Clear();
            while (true)
            {
                var start = i;
                while (i < text.Length && char.IsAsciiDigit(text[i]))
                {
                    i++;
                }

                groups.Add((start, i));
                var next = i;
                while (next < text.Length && next - i < MaxSeparators && text[next] is ' ' or '.' or '-' or '/')
                {
                    next++;
                }

                if (next == i || next == text.Length || !char.IsAsciiDigit(text[next]))
                {
                    break;
                }

                i = next;
            }

            yield return groups.Count;
            var rest = i < text.Length ? text.AsSpan(i).IndexOfAnyInRange('0', '9') : -1;
            i = rest < 0 ? -1 : i + rest;
        }
    }

    /// <summary>Groups joined by separators inside a word-like token (a UUID's "…-1060-4692-8871-17935e01…") are
    /// not a number someone typed: the joined window must not touch a letter at either end.</summary>
    private static bool Glued(string text, int start, int end) =>
        (start > 0 && char.IsLetter(text[start - 1])) || (end < text.Length && char.IsLetter(text[end]));

    private static int Length((int Start, int End) group) => group.End - group.Start;

    private static int Total(List<(int Start, int End)> groups)
    {
        var total = 0;
        foreach (var group in groups)
        {
            total += Length(group);
        }

        return total;
    }

    private static int Copy(string text, List<(int Start, int End)> groups, int first, int last, Span<char> to)
    {
        var count = 0;
        for (var g = first; g <= last; g++)
        {
            text.AsSpan(groups[g].Start, Length(groups[g])).CopyTo(to[count..]);
            count += Length(groups[g]);
        }

        return count;
    }

    private static void Add(List<TextMatch> matches, string detector, string text, int start, int end)
    {
        if (matches.Count < TextScanner.MaxMatches)
        {
            matches.Add(new TextMatch(detector, start, end - start, text[start..end]));
        }
    }
}
