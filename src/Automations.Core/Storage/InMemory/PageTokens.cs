using System.Buffers.Text;
using System.Globalization;
using System.Text;
using Automations.Core.Domain;

namespace Automations.Core.Storage.InMemory;

/// <summary>Opaque page tokens for the in-memory stores (base64url of a small text form).</summary>
internal static class PageTokens
{
    public static string EncodeNameId(string name, string id) => Encode(name + "\0" + id);

    public static (string Name, string Id)? DecodeNameId(string? token)
    {
        var text = Decode(token);
        if (text is null)
        {
            return null;
        }

        var split = text.IndexOf('\0', StringComparison.Ordinal);
        return split < 0 ? throw Invalid() : (text[..split], text[(split + 1)..]);
    }

    public static string EncodeSequence(long sequence) => Encode(sequence.ToString(CultureInfo.InvariantCulture));

    public static long? DecodeSequence(string? token)
    {
        var text = Decode(token);
        if (text is null)
        {
            return null;
        }

        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : throw Invalid();
    }

    private static string Encode(string text) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(text));

    private static string? Decode(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }

        try
        {
            return Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token));
        }
        catch (FormatException)
        {
            throw Invalid();
        }
    }

    private static AutomationValidationException Invalid() => new("pageToken", "The page token is not one this store issued.");
}
