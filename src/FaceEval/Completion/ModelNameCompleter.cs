using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace FaceEval.PowerShell;

/// <summary>
/// Completes -Model with names something actually serves: $env:FACEEVAL_MODELS (comma-separated: the models
/// the vendor's account offers) and the models of the local servers still running. Nothing is made up.
/// </summary>
public sealed class ModelNameCompleter : IArgumentCompleter
{
    public static IEnumerable<string> KnownModels()
    {
        var configured = ModuleEnvironment.Fallback(null, ModuleEnvironment.ModelsVariable) is { } list
            ? list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : Array.Empty<string>();
        return configured.Concat(ServerRegistry.All().Where(s => !s.HasExited).SelectMany(s => s.Models)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
    }

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
        KnownModels().Where(m => m.StartsWith(wordToComplete.Trim('\'', '"'), StringComparison.OrdinalIgnoreCase))
            .Select(m => new CompletionResult(m, m, CompletionResultType.ParameterValue, m));
}
