namespace PubSub.UnitTests.Layering;

/// <summary>The layers of ARCHITECTURE.md, as the projects declare them: the pattern engine and the
/// AWS clients at the bottom, PubSub.Core on them, the function cores on Core, their adapters on the
/// cores; the operators' tools (PubSub.Operations) serve the CLI and the AppHost, never a function.</summary>
public sealed class ProjectLayeringTests
{
    private static readonly ProjectGraph Graph = ProjectGraph.Load();

    /// <summary>Each project and the projects it may reference itself. A new reference that is not
    /// here fails <see cref="Each_project_references_only_what_its_layer_allows"/>: add it here only
    /// if the architecture allows it, and the named tests below say what it must never allow.</summary>
    private static readonly Dictionary<string, string[]> Allowed = new(StringComparer.Ordinal)
    {
        ["PubSub.Patterns"] = [],
        ["PubSub.Aws"] = [],
        ["PubSub.LambdaRuntime"] = [],
        ["PubSub.Emulators"] = [],
        ["PubSub.Core"] = ["PubSub.Patterns", "PubSub.Aws"],
        ["PubSub.Ingestion.Core"] = ["PubSub.Core"],
        ["PubSub.StreamPublisher.Core"] = ["PubSub.Core"],
        ["PubSub.Webhooks.Core"] = ["PubSub.Core"],
        ["PubSub.Functions"] = ["PubSub.LambdaRuntime", "PubSub.Core"],
        ["PubSub.Ingestion.Lambda"] = ["PubSub.Functions", "PubSub.Ingestion.Core"],
        ["PubSub.StreamPublisher.Lambda"] = ["PubSub.Functions", "PubSub.StreamPublisher.Core"],
        ["PubSub.WebhookDelivery.Lambda"] = ["PubSub.Functions", "PubSub.Webhooks.Core"],
        ["PubSub.ServiceDefaults"] = ["PubSub.Core"],
        ["PubSub.Ingestion"] = ["PubSub.Ingestion.Core", "PubSub.ServiceDefaults", "PubSub.Webhooks.Core"], // Webhooks.Core: the JWKS document
        ["PubSub.StreamPublisher"] = ["PubSub.StreamPublisher.Core", "PubSub.ServiceDefaults"],
        ["PubSub.WebhookDelivery"] = ["PubSub.Webhooks.Core", "PubSub.ServiceDefaults"],
        ["PubSub.WebhookDemo"] = ["PubSub.Webhooks.Core", "PubSub.ServiceDefaults"], // a demo receiver: verifies with the core
        ["PubSub.Operations"] = ["PubSub.Core"],
        ["PubSub.CloudFormation"] = ["PubSub.Core"],
        ["PubSub.Provisioner"] = ["PubSub.Operations", "PubSub.Core", "PubSub.ServiceDefaults"],
        ["PubSub.Cli"] = ["PubSub.Operations", "PubSub.Core", "PubSub.CloudFormation", "PubSub.Emulators", "PubSub.Webhooks.Core"], // Webhooks.Core: pubsub webhooks' stores and secrets
        ["PubSub.AppHost"] = ["PubSub.Provisioner", "PubSub.Ingestion", "PubSub.StreamPublisher", "PubSub.WebhookDelivery", "PubSub.WebhookDemo",
            "PubSub.Operations", "PubSub.Core", "PubSub.Emulators", "PubSub.Webhooks.Core"], // Webhooks.Core: the demo's secret, made before both start
        // Tools and tests may use anything that is not a test.
        ["PubSub.Benchmarks"] = Products,
        ["PubSub.UnitTests"] = Products,
        ["PubSub.IntegrationTests"] = Products,
    };

    private static string[] Products => [.. Graph.Projects.Where(p => !p.EndsWith("Tests", StringComparison.Ordinal))];

    private static readonly string[] LambdaFunctions = ["PubSub.Ingestion.Lambda", "PubSub.StreamPublisher.Lambda", "PubSub.WebhookDelivery.Lambda"];

    private static readonly string[] FunctionCores = ["PubSub.Ingestion.Core", "PubSub.StreamPublisher.Core", "PubSub.Webhooks.Core"];

    private static readonly string[] LocalAdapters = ["PubSub.Ingestion", "PubSub.StreamPublisher", "PubSub.WebhookDelivery"];

    [Fact]
    public void Every_project_in_the_solution_has_a_place_in_the_layers()
    {
        var unplaced = Graph.Projects.Where(p => !Allowed.ContainsKey(p)).ToList();

        Assert.True(unplaced.Count == 0, $"Not in ProjectLayeringTests.Allowed: {string.Join(", ", unplaced)}");
    }

    [Fact]
    public void Each_project_references_only_what_its_layer_allows()
    {
        var breaches = Graph.Projects.Where(Allowed.ContainsKey)
            .SelectMany(p => Graph.DirectReferences(p).Except(Allowed[p]).Select(r => $"{p} -> {r}"))
            .ToList();

        Assert.True(breaches.Count == 0, $"References the layers do not allow: {string.Join(", ", breaches)}");
    }

    [Fact]
    public void The_pattern_engine_stands_alone_without_packages_or_projects()
    {
        Assert.Empty(Graph.DirectReferences("PubSub.Patterns"));
        Assert.Empty(Graph.Packages("PubSub.Patterns"));
    }

    [Fact]
    public void The_aws_clients_build_on_no_project_of_ours()
    {
        Assert.Empty(Graph.DirectReferences("PubSub.Aws"));
    }

    [Fact]
    public void The_function_cores_build_only_on_core_and_what_core_builds_on()
    {
        foreach (var core in FunctionCores)
        {
            Assert.Equal(["PubSub.Aws", "PubSub.Core", "PubSub.Patterns"], Graph.Reachable(core).Order(StringComparer.Ordinal));
        }
    }

    [Theory]
    [InlineData("PubSub.Operations")]
    [InlineData("PubSub.ServiceDefaults")]
    [InlineData("PubSub.Ingestion")]
    [InlineData("PubSub.StreamPublisher")]
    [InlineData("PubSub.WebhookDelivery")]
    [InlineData("PubSub.WebhookDemo")]
    [InlineData("PubSub.Emulators")]
    [InlineData("PubSub.CloudFormation")]
    public void No_lambda_function_reaches_a_local_or_operator_project(string forbidden)
    {
        foreach (var function in LambdaFunctions)
        {
            Assert.DoesNotContain(forbidden, Graph.Reachable(function));
        }
    }

    [Fact]
    public void The_operators_tools_serve_only_the_cli_the_apphost_the_provisioner_tools_and_tests()
    {
        string[] users = ["PubSub.Cli", "PubSub.AppHost", "PubSub.Provisioner", "PubSub.Benchmarks", "PubSub.UnitTests", "PubSub.IntegrationTests"];

        var others = Graph.Projects.Where(p => Graph.Reachable(p).Contains("PubSub.Operations")).Except(users).ToList();

        Assert.True(others.Count == 0, $"Reach PubSub.Operations: {string.Join(", ", others)}");
    }

    [Fact]
    public void The_local_adapters_reach_neither_the_operators_tools_nor_a_lambda_function()
    {
        foreach (var adapter in LocalAdapters)
        {
            var reachable = Graph.Reachable(adapter);
            Assert.DoesNotContain("PubSub.Operations", reachable);
            Assert.DoesNotContain("PubSub.Functions", reachable);
        }
    }
}
