using System.Reflection;

namespace PubSub.UnitTests.Layering;

/// <summary>The same layers as the compiler saw them: what each of our assemblies references once
/// built. A linked file is invisible here (it is compiled into the assembly and adds no reference):
/// <see cref="LinkedFileTests"/> covers it.</summary>
public sealed class AssemblyLayeringTests
{
    /// <summary>Hosting frameworks: the functions' cores are plain C#, and the Lambda functions carry none.</summary>
    private static readonly string[] HostingPrefixes = ["Microsoft.AspNetCore", "Microsoft.Extensions.Hosting", "Aspire"];

    [Theory]
    [InlineData("PubSub.Ingestion.Lambda", new[] { "PubSub.Ingestion.Lambda", "PubSub.Ingestion.Core", "PubSub.Functions", "PubSub.LambdaRuntime", "PubSub.Core", "PubSub.Patterns", "PubSub.Aws" })]
    [InlineData("PubSub.StreamPublisher.Lambda", new[] { "PubSub.StreamPublisher.Lambda", "PubSub.StreamPublisher.Core", "PubSub.Functions", "PubSub.LambdaRuntime", "PubSub.Core", "PubSub.Patterns", "PubSub.Aws" })]
    [InlineData("PubSub.WebhookDelivery.Lambda", new[] { "PubSub.WebhookDelivery.Lambda", "PubSub.Webhooks.Core", "PubSub.Functions", "PubSub.LambdaRuntime", "PubSub.Core", "PubSub.Patterns", "PubSub.Aws" })]
    public void A_lambda_function_carries_only_its_core_the_function_host_and_the_layers_below(string function, string[] allowed)
    {
        var ours = OurAssemblies(function);

        Assert.Empty(ours.Keys.Except(allowed));
        Assert.Empty(HostingReferences(ours));
    }

    [Theory]
    [InlineData("PubSub.Ingestion.Core")]
    [InlineData("PubSub.StreamPublisher.Core")]
    [InlineData("PubSub.Webhooks.Core")]
    public void A_function_core_uses_no_hosting_framework(string core)
    {
        Assert.Empty(HostingReferences(OurAssemblies(core)));
    }

    [Fact]
    public void The_pattern_engine_references_only_the_runtime()
    {
        var references = Assembly.Load("PubSub.Patterns").GetReferencedAssemblies().Select(a => a.Name!);

        Assert.All(references, name => Assert.True(name.StartsWith("System", StringComparison.Ordinal), name));
    }

    [Fact]
    public void The_aws_clients_reference_no_assembly_of_ours()
    {
        var references = Assembly.Load("PubSub.Aws").GetReferencedAssemblies().Select(a => a.Name!);

        Assert.DoesNotContain(references, name => name.StartsWith("PubSub", StringComparison.Ordinal));
    }

    /// <summary><paramref name="root"/> and every assembly of ours it reaches, each with what it references.</summary>
    private static Dictionary<string, AssemblyName[]> OurAssemblies(string root)
    {
        var found = new Dictionary<string, AssemblyName[]>(StringComparer.Ordinal);
        var pending = new Stack<string>([root]);
        while (pending.TryPop(out var name))
        {
            if (found.ContainsKey(name))
            {
                continue;
            }

            var references = Assembly.Load(name).GetReferencedAssemblies();
            found[name] = references;
            foreach (var reference in references.Where(r => r.Name!.StartsWith("PubSub", StringComparison.Ordinal)))
            {
                pending.Push(reference.Name!);
            }
        }

        return found;
    }

    private static List<string> HostingReferences(Dictionary<string, AssemblyName[]> assemblies) =>
        [.. assemblies.SelectMany(a => a.Value
            .Where(r => HostingPrefixes.Any(prefix => r.Name!.StartsWith(prefix, StringComparison.Ordinal)))
            .Select(r => $"{a.Key} -> {r.Name}"))];
}
