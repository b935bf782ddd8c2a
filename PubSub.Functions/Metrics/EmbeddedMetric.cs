namespace PubSub.Functions.Metrics;

/// <summary>One instrument as CloudWatch gets it: its name, the tags kept as dimensions (at most
/// <see cref="MaxDimensions"/>; any other tag is summed over), and the dimension sets each value is
/// published under: the full set and its roll-ups. A set that names a tag a measurement lacks is left
/// out for that measurement, so that a missing reason gives the shorter set rather than an empty value.</summary>
public sealed record EmbeddedMetric(string Name, string Unit, string[] Dimensions, string[][] DimensionSets)
{
    /// <summary>Enough for every instrument of ours; keeps the aggregation key a fixed-size value.</summary>
    public const int MaxDimensions = 3;

    /// <summary>CloudWatch's unit for an OpenTelemetry (UCUM) unit: an annotation such as <c>{event}</c>
    /// counts things; <c>s</c> and <c>ms</c> are times.</summary>
    public static string UnitOf(string? unit) => unit switch
    {
        "s" => "Seconds",
        "ms" => "Milliseconds",
        "us" => "Microseconds",
        "By" => "Bytes",
        "%" => "Percent",
        null or "" or "1" => "Count",
        _ when unit.StartsWith('{') && unit.EndsWith('}') => "Count",
        _ => "None",
    };
}
