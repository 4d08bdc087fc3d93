using System.Management.Automation;

namespace FaceEval.PowerShell;

/// <summary>Run manifests given by the user: manifest files, or the output folders that hold a manifest.jsonl.</summary>
internal static class ManifestFiles
{
    /// <summary>Resolves paths (wildcards allowed) to manifest files; writes a non-terminating error for each that cannot be found.</summary>
    public static IEnumerable<string> Resolve(PSCmdlet cmdlet, IEnumerable<string> paths)
    {
        foreach (var p in paths)
        {
            IList<string> resolved;
            try
            {
                resolved = cmdlet.SessionState.Path.GetResolvedProviderPathFromPSPath(p, out var provider);
                if (provider.ImplementingType != typeof(Microsoft.PowerShell.Commands.FileSystemProvider))
                    throw new NotSupportedException($"'{p}' is not a file-system path.");
            }
            catch (Exception e) when (e is ItemNotFoundException or NotSupportedException or ProviderNotFoundException or System.Management.Automation.DriveNotFoundException or ArgumentException)
            {
                cmdlet.WriteError(ErrorRecords.Create(new ItemNotFoundException($"Cannot find the run manifest '{p}': give a manifest.jsonl that Invoke-FaceEmbedding -OutputDirectory wrote, or its folder.", e), "FileNotFound", ErrorCategory.ObjectNotFound, p));
                continue;
            }
            foreach (var r in resolved)
            {
                string file = Directory.Exists(r) ? System.IO.Path.Combine(r, "manifest.jsonl") : r;
                if (!File.Exists(file))
                {
                    cmdlet.WriteError(ErrorRecords.Create(new ItemNotFoundException($"The folder '{r}' has no manifest.jsonl: give the -OutputDirectory of an Invoke-FaceEmbedding run, or the manifest file itself."), "FileNotFound", ErrorCategory.ObjectNotFound, r));
                    continue;
                }
                yield return file;
            }
        }
    }
}
