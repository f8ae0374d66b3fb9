using Automations.Core.Domain;

namespace Automations.Core.Signing;

/// <summary>Validation of the key list a verifier accepts.</summary>
internal static class VerifierKeys
{
    internal static WebhookSigningKey[] Check(IEnumerable<WebhookSigningKey> keys, WebhookSigningScheme scheme)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var array = keys.ToArray();
        var problems = new ValidationProblemCollector();
        if (array.Length == 0)
        {
            problems.Add("keys", "At least one key is needed.");
        }
        else if (array.Length > WebhookSigner.MaxStandardWebhooksKeys)
        {
            problems.Add("keys", $"At most {WebhookSigner.MaxStandardWebhooksKeys} keys are accepted.");
        }

        for (var i = 0; i < array.Length; i++)
        {
            ArgumentNullException.ThrowIfNull(array[i], nameof(keys));
            if (array[i].Scheme != scheme)
            {
                problems.Add($"keys[{i}]", $"This verifier takes {scheme} keys; this one is a {array[i].Scheme} key.");
            }
        }

        problems.ThrowIfInvalid();
        return array;
    }
}
