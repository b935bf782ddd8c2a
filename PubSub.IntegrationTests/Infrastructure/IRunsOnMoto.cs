namespace PubSub.IntegrationTests.Infrastructure;

/// <summary>Marks a test class that needs moto_server: its <see cref="AwsFactAttribute"/> tests are skipped,
/// with the reason, where moto_server is not on PATH (except under CI, see <see cref="MotoFixture.SkipReason"/>).</summary>
public interface IRunsOnMoto;
