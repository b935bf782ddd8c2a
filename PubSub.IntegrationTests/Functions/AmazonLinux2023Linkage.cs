namespace PubSub.IntegrationTests.Functions;

/// <summary>What Lambda's <c>provided.al2023</c> runtime offers a <c>bootstrap</c>: Amazon Linux 2023's glibc 2.34
/// (which holds what libpthread, libdl and librt used to), libm and the dynamic loader; nothing else is promised.</summary>
internal static class AmazonLinux2023Linkage
{
    public static readonly Version NewestGlibc = new(2, 34);

    /// <summary>The ELF machine <c>readelf</c> names for each of Lambda's architectures, and the path of its loader.</summary>
    private static readonly Dictionary<string, (string Machine, string Interpreter)> Architectures = new(StringComparer.Ordinal)
    {
        ["x86_64"] = ("Advanced Micro Devices X86-64", "/lib64/ld-linux-x86-64.so.2"),
        ["arm64"] = ("AArch64", "/lib/ld-linux-aarch64.so.1"),
    };

    /// <summary>Why the executable would not load on the runtime for this architecture; empty when it would.</summary>
    public static IReadOnlyList<string> Problems(ElfLinkage elf, string architecture)
    {
        var (machine, interpreter) = Architectures[architecture];
        var problems = new List<string>();
        if (elf.Machine != machine)
        {
            problems.Add($"machine {elf.Machine}, not {machine}");
        }

        if (elf.Interpreter != interpreter)
        {
            problems.Add($"loader {elf.Interpreter ?? "none"}, not {interpreter}");
        }

        string[] allowed = ["libc.so.6", "libm.so.6", Path.GetFileName(interpreter)];
        problems.AddRange(elf.Needed.Where(l => !allowed.Contains(l, StringComparer.Ordinal)).Select(l => $"needs {l}"));
        problems.AddRange(elf.RequiredVersions
            .Where(v => v.StartsWith("GLIBC_", StringComparison.Ordinal) && !(Glibc(v) is { } version && version <= NewestGlibc))
            .Select(v => $"needs {v} (Amazon Linux 2023 has GLIBC_{NewestGlibc})"));
        return problems;
    }

    /// <summary>GLIBC_2.34 as 2.34; null for a version that is not a release number (GLIBC_PRIVATE).</summary>
    private static Version? Glibc(string name) =>
        Version.TryParse(name["GLIBC_".Length..], out var version) ? version : null;
}
