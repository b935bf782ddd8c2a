using BenchmarkDotNet.Attributes;
using PubSub.Webhooks.Signing;

namespace PubSub.Benchmarks.Core;

/// <summary>What signing costs per delivery attempt (a 1 KiB and a 64 KiB body): one secret, two during a
/// rotation, Ed25519 (v1a); and the receiver's verification of one v1 signature. Allocations should be the
/// two header strings, not a copy of the body.</summary>
[MemoryDiagnoser]
public class WebhookSigningBenchmarks
{
    private WebhookSigningKeys _one = null!;
    private WebhookSigningKeys _rotation = null!;
    private WebhookSigningKeys _ed25519 = null!;
    private WebhookVerificationKeys _verificationKeys = null!;
    private SignedWebhookHeaders _signed;
    private byte[] _body = null!;
    private WebhookVerifier _verifier = null!;

    [Params(1024, 65536)]
    public int BodyBytes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var secret = WebhookSecret.Generate();
        _one = new WebhookSigningKeys(secret);
        _rotation = new WebhookSigningKeys(secret, WebhookSecret.Generate());
        _ed25519 = new WebhookSigningKeys([], [Ed25519SigningKey.Generate()]);
        _verificationKeys = new WebhookVerificationKeys(secret);
        _body = new byte[BodyBytes];
        Random.Shared.NextBytes(_body);
        _verifier = new WebhookVerifier(TimeProvider.System);
        _signed = new WebhookSigner(TimeProvider.System).Sign("msg_2KWPBgLlAfxdpx2AI54pPJ85f4W", _body, _one);
    }

    [Benchmark(Baseline = true)]
    public SignedWebhookHeaders SignV1() => WebhookSigner.Sign("msg_2KWPBgLlAfxdpx2AI54pPJ85f4W", 1_800_000_000, _body, _one);

    [Benchmark]
    public SignedWebhookHeaders SignV1Rotation() => WebhookSigner.Sign("msg_2KWPBgLlAfxdpx2AI54pPJ85f4W", 1_800_000_000, _body, _rotation);

    [Benchmark]
    public SignedWebhookHeaders SignV1a() => WebhookSigner.Sign("msg_2KWPBgLlAfxdpx2AI54pPJ85f4W", 1_800_000_000, _body, _ed25519);

    [Benchmark]
    public WebhookVerification VerifyV1() => _verifier.Verify(_signed.Id, _signed.Timestamp, _signed.Signature, _body, _verificationKeys);
}
