namespace Automations.Cli;

/// <summary>Where commands write: standard output for answers, standard error for problems.</summary>
internal sealed record CliContext(TextWriter Out, TextWriter Error);
