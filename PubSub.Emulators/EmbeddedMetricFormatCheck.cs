using System.Diagnostics;
using System.Text.Json;

namespace PubSub.Emulators;

/// <summary>Checks log lines as CloudWatch Logs reads embedded metric format, independently of the code that
/// writes them: the rules of AWS's specification checked here, and, where <c>python3</c> with the
/// <c>jsonschema</c> package is present, the specification's JSON schema (eng/emf/validate-emf.py).</summary>
public static class EmbeddedMetricFormatCheck
{
    /// <summary>CloudWatch's units (the MetricDatum reference).</summary>
    public static readonly IReadOnlySet<string> Units = new HashSet<string>(StringComparer.Ordinal)
    {
        "Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes", "Megabytes", "Gigabytes", "Terabytes", "Bits", "Kilobits",
        "Megabits", "Gigabits", "Terabits", "Percent", "Count", "Bytes/Second", "Kilobytes/Second", "Megabytes/Second",
        "Gigabytes/Second", "Terabytes/Second", "Bits/Second", "Kilobits/Second", "Megabits/Second", "Gigabits/Second",
        "Terabits/Second", "Count/Second", "None",
    };

    /// <summary>True for a line CloudWatch would take as an embedded metric format document (a JSON object with <c>_aws</c>).</summary>
    public static bool IsDocument(string line)
    {
        if (!line.StartsWith('{'))
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(line);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("_aws", out _);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>What breaks the specification in one document; empty when nothing does.</summary>
    public static IReadOnlyList<string> Problems(string line)
    {
        var problems = new List<string>();
        using var document = JsonDocument.Parse(line);
        var root = document.RootElement;
        if (!root.TryGetProperty("_aws", out var aws) || aws.ValueKind != JsonValueKind.Object)
        {
            return ["no _aws object"];
        }

        if (!aws.TryGetProperty("Timestamp", out var timestamp) || timestamp.ValueKind != JsonValueKind.Number || !timestamp.TryGetInt64(out _))
        {
            problems.Add("Timestamp is not an integer");
        }

        if (!aws.TryGetProperty("CloudWatchMetrics", out var directives) || directives.ValueKind != JsonValueKind.Array)
        {
            return [.. problems, "CloudWatchMetrics is not an array"];
        }

        foreach (var directive in directives.EnumerateArray())
        {
            if (directive.TryGetProperty("Namespace", out var ns) is false || ns.GetString() is not { Length: > 0 and <= 255 })
            {
                problems.Add("Namespace is missing, empty or too long");
            }

            if (!directive.TryGetProperty("Dimensions", out var sets) || sets.ValueKind != JsonValueKind.Array || sets.GetArrayLength() == 0)
            {
                problems.Add("Dimensions is not a non-empty array");
            }
            else
            {
                foreach (var set in sets.EnumerateArray())
                {
                    if (set.ValueKind != JsonValueKind.Array || set.GetArrayLength() > 30)
                    {
                        problems.Add("a DimensionSet is not an array of at most 30 keys");
                        continue;
                    }

                    foreach (var key in set.EnumerateArray())
                    {
                        if (key.GetString() is not { Length: > 0 } name || !root.TryGetProperty(name, out var value)
                            || value.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(value.GetString()))
                        {
                            problems.Add($"dimension {key} has no non-empty string value on the root node");
                        }
                    }
                }
            }

            if (!directive.TryGetProperty("Metrics", out var metrics) || metrics.ValueKind != JsonValueKind.Array || metrics.GetArrayLength() > 100)
            {
                problems.Add("Metrics is not an array of at most 100 definitions");
                continue;
            }

            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var metric in metrics.EnumerateArray())
            {
                var name = metric.TryGetProperty("Name", out var n) ? n.GetString() : null;
                if (name is not { Length: > 0 and <= 255 } || !names.Add(name))
                {
                    problems.Add($"metric name {name} is missing, too long or repeated");
                    continue;
                }

                if (metric.TryGetProperty("Unit", out var unit) && !Units.Contains(unit.GetString() ?? ""))
                {
                    problems.Add($"metric {name} has the unit {unit}, not a CloudWatch unit");
                }

                if (!root.TryGetProperty(name, out var target) || !IsNumbers(target))
                {
                    problems.Add($"metric {name} is not a number or an array of at most 100 numbers on the root node");
                }
            }
        }

        return problems;
    }

    /// <summary>Validates <paramref name="lines"/> against the specification's JSON schema with python3's jsonschema.</summary>
    /// <returns>The problems found (empty when none), or null when python3 or jsonschema is not there.</returns>
    public static async Task<IReadOnlyList<string>?> SchemaProblemsAsync(string repositoryRoot, IEnumerable<string> lines, CancellationToken cancellationToken = default)
    {
        if (ExecutableSearch.OnPath("python3") is not { } python)
        {
            return null;
        }

        var info = new ProcessStartInfo(python)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(repositoryRoot, "eng", "emf", "validate-emf.py"));
        using var process = Process.Start(info) ?? throw new EmulatorException("Could not start python3.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        foreach (var line in lines)
        {
            await process.StandardInput.WriteLineAsync(line.AsMemory(), cancellationToken).ConfigureAwait(false);
        }

        process.StandardInput.Close();
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        return process.ExitCode switch
        {
            0 or 1 => (await output.ConfigureAwait(false)).Split('\n', StringSplitOptions.RemoveEmptyEntries),
            3 => null,
            _ => throw new EmulatorException($"eng/emf/validate-emf.py failed with {process.ExitCode}: {await errors.ConfigureAwait(false)}"),
        };
    }

    private static bool IsNumbers(JsonElement target) => target.ValueKind switch
    {
        JsonValueKind.Number => true,
        JsonValueKind.Array => target.GetArrayLength() is > 0 and <= 100 && target.EnumerateArray().All(v => v.ValueKind == JsonValueKind.Number),
        _ => false,
    };
}
