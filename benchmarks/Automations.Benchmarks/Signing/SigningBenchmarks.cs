using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Automations.Core.Signing;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace Automations.Benchmarks.Signing;

/// <summary>
/// Signing one delivery: ours (keyed IncrementalHash from a per-key pool, hashing the body in place) against one-shot
/// <see cref="HMACSHA256.HashData(byte[], byte[])"/> + base64 (the baseline) and one-shot on stack spans.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class SigningBenchmarks
{
    private const string MessageId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private static readonly DateTimeOffset Timestamp = DateTimeOffset.FromUnixTimeSeconds(1_614_265_330);

    private byte[] _body = [];
    private byte[] _wandbKey = [];
    private byte[] _standardKey = [];
    private WebhookSigner _wandb = null!;
    private WebhookSigner _standard = null!;

    [Params(600, 1024, 65536)]
    public int PayloadBytes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _body = new byte[PayloadBytes];
        new Random(42).NextBytes(_body);
        const string wandbSecret = "team-webhook-secret";
        const string standardSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        _wandbKey = Encoding.UTF8.GetBytes(wandbSecret);
        _standardKey = Convert.FromBase64String(standardSecret["whsec_".Length..]);
        _wandb = WebhookSigner.FromSecrets(WebhookSigningScheme.Wandb, [wandbSecret]);
        _standard = WebhookSigner.FromSecrets(WebhookSigningScheme.StandardWebhooks, [standardSecret]);
    }

    [Benchmark(Baseline = true), BenchmarkCategory("Wandb")]
    public string Wandb_OneShot() => Convert.ToBase64String(HMACSHA256.HashData(_wandbKey, _body));

    [Benchmark, BenchmarkCategory("Wandb")]
    public string Wandb_OneShotStack()
    {
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(_wandbKey, _body, mac);
        return Convert.ToBase64String(mac);
    }

    [Benchmark, BenchmarkCategory("Wandb")]
    public string? Wandb_Ours() => _wandb.Sign(MessageId, Timestamp, _body).WandbSignature;

    [Benchmark(Baseline = true), BenchmarkCategory("Standard")]
    public string Standard_OneShot()
    {
        var prefix = Encoding.UTF8.GetBytes(MessageId + "." + Timestamp.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) + ".");
        var content = new byte[prefix.Length + _body.Length];
        prefix.CopyTo(content, 0);
        _body.CopyTo(content, prefix.Length);
        return "v1," + Convert.ToBase64String(HMACSHA256.HashData(_standardKey, content));
    }

    [Benchmark, BenchmarkCategory("Standard")]
    public string Standard_OneShotPooledBuffer()
    {
        var unix = Timestamp.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var length = MessageId.Length + unix.Length + 2 + _body.Length;
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var written = Encoding.ASCII.GetBytes(MessageId, buffer);
            buffer[written++] = (byte)'.';
            written += Encoding.ASCII.GetBytes(unix, buffer.AsSpan(written));
            buffer[written++] = (byte)'.';
            _body.CopyTo(buffer.AsSpan(written));
            Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
            HMACSHA256.HashData(_standardKey, buffer.AsSpan(0, length), mac);
            return "v1," + Convert.ToBase64String(mac);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    [Benchmark, BenchmarkCategory("Standard")]
    public string? Standard_Ours() => _standard.Sign(MessageId, Timestamp, _body).WebhookSignature;
}
