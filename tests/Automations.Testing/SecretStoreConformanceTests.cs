using Automations.Core.Abstractions;
using Automations.Core.Domain.Secrets;

namespace Automations.Testing;

/// <summary>The semantics every <see cref="ISecretStore"/> must honour; each store derives a test class.</summary>
public abstract class SecretStoreConformanceTests
{
    protected static readonly DateTimeOffset T0 = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);

    protected abstract ISecretStore CreateStore();

    protected static SecretRecord Record(string id, string entity, string name, byte fill = 1)
        => new(id, entity, name, new SecretCiphertext("k1", [fill, 2, 3, 4]), T0, T0);

    [Fact]
    public async Task Add_get_find_and_list_round_trip_every_field()
    {
        var store = CreateStore();
        var record = Record("s1", "acme", "B").WithValue(new SecretCiphertext("k2", [7, 7]), T0.AddMinutes(1), new SecretCiphertext("k1", [5]), T0.AddHours(1));

        Assert.Equal(StoreWriteResult.Applied, await store.AddAsync(record));
        Assert.Equal(StoreWriteResult.Applied, await store.AddAsync(Record("s2", "acme", "A")));
        Assert.Equal(StoreWriteResult.Applied, await store.AddAsync(Record("s3", "globex", "B")));

        var got = await store.GetAsync("s1");
        Assert.NotNull(got);
        Assert.Equal(record.Value, got.Value);
        Assert.Equal(record.PreviousValue, got.PreviousValue);
        Assert.Equal(record.PreviousValueExpiresAt, got.PreviousValueExpiresAt);
        Assert.Equal(record.UpdatedAt, got.UpdatedAt);
        Assert.Equal("s1", (await store.FindByNameAsync("acme", "B"))?.Id);
        Assert.Equal("s3", (await store.FindByNameAsync("globex", "B"))?.Id);
        Assert.Null(await store.FindByNameAsync("acme", "b"));
        Assert.Equal(["A", "B"], (await store.ListAsync("acme")).Select(s => s.Name));
        Assert.Empty(await store.ListAsync("initech"));
    }

    [Fact]
    public async Task Ids_are_unique_and_names_unique_per_team()
    {
        var store = CreateStore();
        await store.AddAsync(Record("s1", "acme", "A"));

        Assert.Equal(StoreWriteResult.IdConflict, await store.AddAsync(Record("s1", "acme", "Z")));
        Assert.Equal(StoreWriteResult.NameConflict, await store.AddAsync(Record("s2", "acme", "A")));
        Assert.Equal(StoreWriteResult.Applied, await store.AddAsync(Record("s3", "globex", "A")));
    }

    [Fact]
    public async Task Update_replaces_by_id_and_checks_names_and_team()
    {
        var store = CreateStore();
        await store.AddAsync(Record("s1", "acme", "A"));
        await store.AddAsync(Record("s2", "acme", "B"));

        var s1 = (await store.GetAsync("s1"))!;

        Assert.Equal(StoreWriteResult.NameConflict, await store.UpdateAsync(s1.WithName("B", T0)));
        Assert.Equal(StoreWriteResult.Applied, await store.UpdateAsync(new SecretRecord("s1", "acme", "C", new SecretCiphertext("k1", [9]), T0, T0, version: 2)));
        Assert.Equal(StoreWriteResult.NotFound, await store.UpdateAsync(Record("s9", "acme", "D").WithName("E", T0)));
        Assert.Equal(StoreWriteResult.NotFound, await store.UpdateAsync(Record("s1", "globex", "C").WithName("E", T0)));

        var stored = (await store.FindByNameAsync("acme", "C"))!;
        Assert.Equal(9, stored.Value.Data.Span[0]);
        Assert.Equal(2, stored.Version);
        Assert.Null(await store.FindByNameAsync("acme", "A"));
    }

    [Fact]
    public async Task Update_over_a_version_that_moved_on_is_stale_and_writes_nothing()
    {
        var store = CreateStore();
        await store.AddAsync(Record("s1", "acme", "A"));
        var read1 = (await store.GetAsync("s1"))!;
        var read2 = (await store.GetAsync("s1"))!;

        Assert.Equal(StoreWriteResult.Applied, await store.UpdateAsync(read1.WithName("FIRST", T0)));
        Assert.Equal(StoreWriteResult.StaleVersion, await store.UpdateAsync(read2.WithValue(new SecretCiphertext("k1", [8]), T0)));
        Assert.Equal(StoreWriteResult.StaleVersion, await store.UpdateAsync(read1));

        var stored = (await store.GetAsync("s1"))!;
        Assert.Equal("FIRST", stored.Name);
        Assert.Equal(1, stored.Value.Data.Span[0]);
        Assert.Equal(2, stored.Version);
    }

    [Fact]
    public async Task Ciphertext_is_kept_byte_for_byte_through_a_rotation_and_its_end()
    {
        var store = CreateStore();
        var big = new byte[SecretCiphertext.MaxLength];
        for (var i = 0; i < big.Length; i++)
        {
            big[i] = (byte)((i * 31) ^ (i >> 8));
        }

        Assert.Equal(StoreWriteResult.Applied, await store.AddAsync(new SecretRecord("s1", "acme", "BIG", new SecretCiphertext("k.1-a_B", big), T0, T0)));
        var stored = (await store.GetAsync("s1"))!;
        Assert.Equal("k.1-a_B", stored.Value.KeyId);
        Assert.Equal(big, stored.Value.Data.ToArray());
        Assert.Null(stored.PreviousValue);
        Assert.Null(stored.PreviousValueExpiresAt);
        Assert.Equal(1, stored.Version);

        var rotated = stored.WithValue(new SecretCiphertext("k2", [0, 255, 0]), T0.AddMinutes(1), stored.Value, T0.AddHours(24));
        Assert.Equal(StoreWriteResult.Applied, await store.UpdateAsync(rotated));
        var during = (await store.GetAsync("s1"))!;
        Assert.Equal(new SecretCiphertext("k2", [0, 255, 0]), during.Value);
        Assert.Equal(stored.Value, during.PreviousValue);
        Assert.Equal(T0.AddHours(24), during.PreviousValueExpiresAt);
        Assert.True(during.HasPreviousValueAt(T0.AddHours(23)));

        var ended = during.WithValue(new SecretCiphertext("k2", [9]), T0.AddDays(2));
        Assert.Equal(StoreWriteResult.Applied, await store.UpdateAsync(ended));
        var after = (await store.FindByNameAsync("acme", "BIG"))!;
        Assert.Null(after.PreviousValue);
        Assert.Null(after.PreviousValueExpiresAt);
        Assert.Equal(3, after.Version);
        Assert.Equal(T0, after.CreatedAt);
        Assert.Equal(T0.AddDays(2), after.UpdatedAt);
    }

    [Fact]
    public async Task Delete_removes_once()
    {
        var store = CreateStore();
        await store.AddAsync(Record("s1", "acme", "A"));

        Assert.True(await store.DeleteAsync("s1"));
        Assert.False(await store.DeleteAsync("s1"));
        Assert.Null(await store.GetAsync("s1"));
        Assert.Equal(StoreWriteResult.Applied, await store.AddAsync(Record("s2", "acme", "A")));
    }

    [Fact]
    public async Task A_rename_frees_the_old_name_and_names_are_looked_up_per_team()
    {
        var store = CreateStore();
        await store.AddAsync(Record("s1", "acme", "A", fill: 1));
        await store.AddAsync(Record("g1", "globex", "A", fill: 7));

        var s1 = (await store.GetAsync("s1"))!;
        Assert.Equal(StoreWriteResult.Applied, await store.UpdateAsync(s1.WithName("B", T0)));
        Assert.Equal(StoreWriteResult.Applied, await store.AddAsync(Record("s2", "acme", "A", fill: 3)));

        Assert.Equal("s2", (await store.FindByNameAsync("acme", "A"))!.Id);
        Assert.Equal("s1", (await store.FindByNameAsync("acme", "B"))!.Id);
        Assert.Equal("g1", (await store.FindByNameAsync("globex", "A"))!.Id);
        Assert.Null(await store.FindByNameAsync("globex", "B"));

        Assert.True(await store.DeleteAsync("s2"));
        Assert.Null(await store.FindByNameAsync("acme", "A"));
        Assert.Equal("g1", (await store.FindByNameAsync("globex", "A"))!.Id);
    }
}
