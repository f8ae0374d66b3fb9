using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using Automations.Core.Signing;
using Automations.Core.Templates;
using BenchmarkDotNet.Attributes;

namespace Automations.Benchmarks.Templates;

/// <summary>
/// What a delivery does before the POST: render the seed's GitHub dispatch payload and sign it. Ours
/// (<see cref="PayloadTemplate.Render"/> + <see cref="WebhookSigner.Sign"/>, X-Wandb-Signature) against the floor of
/// the same render followed by a keyed HMAC-SHA256 (a reused <see cref="IncrementalHash"/>) and base64 of the
/// digest. Target: ours within 1.1× of the floor, in the same run.
/// </summary>
[MemoryDiagnoser]
public class RenderAndSignBenchmarks
{
    private const string Secret = "a-long-random-team-secret-for-benchmarks";
    private readonly ArrayBufferWriter<byte> _writer = new(4096);
    private readonly TemplateContext _context = new()
    {
        EventType = "LINK_ARTIFACT",
        EventAuthor = "ml-platform-automation-bot@acme-research.example",
        ArtifactId = "1234567890123",
        ArtifactVersionString = "acme-research-lab-vision/image-classification-resnet50-finetuning/imagenet-2012-training-dataset-augmented-v2:v12",
        ArtifactCollectionName = "imagenet-2012-training-dataset-augmented-v2",
        ProjectName = "image-classification-resnet50-finetuning",
        EntityName = "acme-research-lab-vision",
    };

    private readonly PayloadTemplate _template = PayloadTemplatePresets.GitHubRepositoryDispatch;
    private readonly WebhookSigner _signer = WebhookSigner.FromSecrets(WebhookSigningScheme.Wandb, [Secret]);
    private readonly IncrementalHash _hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(Secret));
    private readonly DateTimeOffset _now = new(2026, 11, 27, 9, 0, 0, TimeSpan.Zero);

    [GlobalSetup]
    public void Setup()
    {
        if (RenderThenKeyedHmac() != RenderAndSign())
        {
            throw new InvalidOperationException("The floor and ours computed different signatures.");
        }
    }

    /// <summary>The floor: render, then a keyed HMAC over the bytes and base64 of the digest.</summary>
    /// <returns>The signature.</returns>
    [Benchmark(Baseline = true)]
    public string RenderThenKeyedHmac()
    {
        _writer.ResetWrittenCount();
        _template.Render(_context, null, _writer);
        Span<byte> digest = stackalloc byte[32];
        _hmac.AppendData(_writer.WrittenSpan);
        _hmac.GetHashAndReset(digest);
        return Convert.ToBase64String(digest);
    }

    /// <summary>Ours: render, then the signer's X-Wandb-Signature header value.</summary>
    /// <returns>The signature.</returns>
    [Benchmark]
    public string RenderAndSign()
    {
        _writer.ResetWrittenCount();
        _template.Render(_context, null, _writer);
        return _signer.Sign("dlv_0192", _now, _writer.WrittenSpan).WandbSignature!;
    }
}
