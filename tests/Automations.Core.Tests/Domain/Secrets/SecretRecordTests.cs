using Automations.Core.Domain;
using Automations.Core.Domain.Secrets;

namespace Automations.Core.Tests.Domain.Secrets;

public class SecretRecordTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 27, 9, 0, 0, TimeSpan.Zero);
    private static readonly SecretCiphertext Ct = new("k1", [1, 2, 3]);

    [Fact]
    public void Valid_record_keeps_its_fields_and_describes_itself_without_bytes()
    {
        var record = new SecretRecord("sec_1", "acme", "GITHUB_TOKEN", Ct, T0, T0);

        Assert.Equal("GITHUB_TOKEN", record.Name);
        Assert.False(record.HasPreviousValueAt(T0));
        Assert.Equal("SecretRecord { Id = sec_1, Entity = acme, Name = GITHUB_TOKEN, Version = 1, KeyId = k1, UpdatedAt = 2026-11-27T09:00:00.0000000+00:00 }", record.ToString());
    }

    [Fact]
    public void Every_problem_is_listed()
    {
        var ex = Assert.Throws<AutomationValidationException>(() =>
            new SecretRecord(" ", "bad team!", "not-valid", null!, T0, T0.AddSeconds(-1), Ct, null, version: 0));

        Assert.Equal(["id", "entity", "name", "value", "updatedAt", "previousValueExpiresAt", "version"], ex.Problems.Select(p => p.Path));
    }

    [Fact]
    public void Previous_value_signs_until_it_expires()
    {
        var record = new SecretRecord("sec_1", "acme", "HOOK", Ct, T0, T0).WithValue(new SecretCiphertext("k1", [9]), T0.AddMinutes(1), Ct, T0.AddHours(1));

        Assert.Equal(2, record.Version);
        Assert.True(record.HasPreviousValueAt(T0.AddMinutes(59)));
        Assert.False(record.HasPreviousValueAt(T0.AddHours(1)));
        Assert.Equal(T0, record.CreatedAt);
        Assert.Contains("PreviousValueUntil", record.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Renaming_validates_the_new_name()
    {
        var record = new SecretRecord("sec_1", "acme", "A", Ct, T0, T0);
        Assert.Equal("B_2", record.WithName("B_2", T0).Name);
        Assert.Throws<AutomationValidationException>(() => record.WithName("b c", T0));
        Assert.Throws<AutomationValidationException>(() => record.WithName(new string('A', 129), T0));
    }

    [Fact]
    public void Ciphertext_copies_its_bytes_compares_by_value_and_validates()
    {
        var bytes = new byte[] { 1, 2, 3 };
        var ct = new SecretCiphertext("k.1-a_b", bytes);
        bytes[0] = 42;

        Assert.Equal(1, ct.Data.Span[0]);
        Assert.Equal(new SecretCiphertext("k.1-a_b", [1, 2, 3]), ct);
        Assert.NotEqual(new SecretCiphertext("k2", [1, 2, 3]), ct);
        Assert.Equal("SecretCiphertext { KeyId = k.1-a_b, Bytes = 3 }", ct.ToString());
        var ex = Assert.Throws<AutomationValidationException>(() => new SecretCiphertext("bad id", []));
        Assert.Equal(["keyId", "data"], ex.Problems.Select(p => p.Path));
    }
}
