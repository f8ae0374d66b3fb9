using Automations.Core.Abstractions;
using Automations.Core.Domain.Secrets;
using Automations.Core.Secrets;
using Automations.Core.Storage.InMemory;
using BenchmarkDotNet.Attributes;

namespace Automations.Benchmarks.Secrets;

/// <summary>
/// The cost of encryption at rest on the delivery path: AES-256-GCM protect and unprotect of a 40-character token
/// (a new <c>AesGcm</c> per call, id+team associated data), and a full resolve (store lookup + decrypt) as a
/// delivery does it for each secret it uses.
/// </summary>
[MemoryDiagnoser]
public class SecretProtectorBenchmarks
{
    private const string Token = "ghp_0123456789abcdefghijABCDEFGHIJ012345";
    private static readonly SecretProtectionContext Context = new("acme", "sec_0192f0c6b7a97c3e8d1f2a3b4c5d6e7f");

    private AesGcmSecretProtector _protector = null!;
    private SecretCiphertext _ciphertext = null!;
    private ISecretResolver _resolver = null!;

    [GlobalSetup]
    public void Setup()
    {
        _protector = new AesGcmSecretProtector(SecretKeyRing.FromBase64("k1", [KeyValuePair.Create("k1", SecretKeyRing.GenerateKey())]));
        _ciphertext = _protector.Protect(Token, Context);
        var store = new InMemorySecretStore();
        var now = DateTimeOffset.UtcNow;
        store.AddAsync(new SecretRecord(Context.SecretId, Context.Entity, "GITHUB_TOKEN", _ciphertext, now, now)).AsTask().GetAwaiter().GetResult();
        _resolver = new EncryptedSecretResolver(store, _protector, TimeProvider.System);
    }

    [Benchmark]
    public SecretCiphertext Protect() => _protector.Protect(Token, Context);

    [Benchmark(Baseline = true)]
    public string Unprotect() => _protector.Unprotect(_ciphertext, Context);

    [Benchmark]
    public ValueTask<string?> Resolve() => _resolver.GetSecretAsync("acme", "GITHUB_TOKEN");
}
