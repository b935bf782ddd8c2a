using PubSub.Emulators;
using PubSub.IntegrationTests.Cli;
using Xunit.Abstractions;

namespace PubSub.IntegrationTests.Functions;

/// <summary>Every <c>bootstrap</c> of every deployment zip, x86_64 and arm64, loads on Lambda's <c>provided.al2023</c>:
/// the right ELF machine, no glibc symbol version newer than Amazon Linux 2023's 2.34, and no library beyond libc,
/// libm and the loader. The build machine's glibc is newer (Debian 12: 2.36), so nothing else keeps this true.
/// The arm64 zips are built here only (cross-compiled, once per run); they cannot run on this x64 machine.</summary>
public sealed class BootstrapLinkageTests(ITestOutputHelper output)
{
    public static TheoryData<string, string> Bootstraps()
    {
        var data = new TheoryData<string, string>();
        foreach (var architecture in LambdaPackage.Architectures)
        {
            foreach (var function in LambdaPackage.Functions)
            {
                data.Add(architecture, function);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Bootstraps))]
    public async Task The_bootstrap_needs_only_what_amazon_linux_2023_has(string architecture, string function)
    {
        var folder = await LambdaPackage.BuildAsync(EmulatorInstallation.Locate().RepositoryRoot, architecture);
        var taskRoot = LambdaPackage.Extract(LambdaPackage.ZipOf(folder, function, architecture));
        try
        {
            var elf = await ElfLinkage.ReadAsync(Path.Combine(taskRoot, "bootstrap"));
            output.WriteLine($"{function} {architecture}: {elf.Machine}; loader {elf.Interpreter}; needs {string.Join(", ", elf.Needed)}; versions {string.Join(", ", elf.RequiredVersions)}");

            Assert.Empty(AmazonLinux2023Linkage.Problems(elf, architecture));
        }
        finally
        {
            Directory.Delete(taskRoot, recursive: true);
        }
    }

    /// <summary>The check can fail: a program built here by gcc against Debian 12's glibc 2.36, calling
    /// <c>arc4random</c> (new in 2.36) and linked to libcrypt, is refused for both (and for arm64 also for its machine and loader).</summary>
    [Fact]
    public async Task A_binary_needing_a_newer_glibc_another_library_or_another_machine_is_refused()
    {
        var folder = Directory.CreateTempSubdirectory("pubsub-elf-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(folder, "newer.c"), """
                #include <stdio.h>
                #include <stdlib.h>
                int main(void) { printf("%u\n", arc4random()); return 0; }
                """);
            var gcc = await CliRunner.RunProgramAsync("gcc", ["-o", "newer", "newer.c", "-Wl,--no-as-needed", "-lcrypt"], folder);
            Assert.True(gcc.ExitCode == 0, gcc.Stderr);

            var elf = await ElfLinkage.ReadAsync(Path.Combine(folder, "newer"));

            Assert.Contains("GLIBC_2.36", elf.RequiredVersions);
            Assert.Equal(["needs libcrypt.so.1", "needs GLIBC_2.36 (Amazon Linux 2023 has GLIBC_2.34)"],
                AmazonLinux2023Linkage.Problems(elf, LambdaPackage.X64));
            Assert.Equal(["machine Advanced Micro Devices X86-64, not AArch64", "loader /lib64/ld-linux-x86-64.so.2, not /lib/ld-linux-aarch64.so.1",
                "needs libcrypt.so.1", "needs GLIBC_2.36 (Amazon Linux 2023 has GLIBC_2.34)"], AmazonLinux2023Linkage.Problems(elf, LambdaPackage.Arm64));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
