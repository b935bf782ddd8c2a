using Xunit.Abstractions;
using Xunit.Sdk;

namespace PubSub.IntegrationTests.Infrastructure;

/// <summary>A fact that runs against an AWS backend: in a class marked <see cref="IRunsOnMoto"/> it is skipped,
/// with the reason, when moto_server cannot run here. xUnit 2 has no skip from inside a test or a fixture,
/// and these tests are written once and inherited by each backend's class, so the decision is made at discovery.</summary>
[XunitTestCaseDiscoverer("PubSub.IntegrationTests.Infrastructure.AwsFactDiscoverer", "PubSub.IntegrationTests")]
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class AwsFactAttribute : FactAttribute;

public sealed class AwsFactDiscoverer(IMessageSink diagnosticMessageSink) : IXunitTestCaseDiscoverer
{
    public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute)
    {
        var display = discoveryOptions.MethodDisplayOrDefault();
        var displayOptions = discoveryOptions.MethodDisplayOptionsOrDefault();
        if (typeof(IRunsOnMoto).IsAssignableFrom(testMethod.TestClass.Class.ToRuntimeType()) && MotoFixture.SkipReason is { } reason)
        {
            return [new XunitSkippedDataRowTestCase(diagnosticMessageSink, display, displayOptions, testMethod, reason)];
        }

        return [new XunitTestCase(diagnosticMessageSink, display, displayOptions, testMethod)];
    }
}
