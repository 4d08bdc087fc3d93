using System.Management.Automation;

namespace FaceEval.PowerShell;

/// <summary>
/// -PreserveStructure and -Root, as Get-FaceCrop and Invoke-FaceEmbedding take them: outputs keep each input's
/// sub-folders below the root (the current location when -Root is not given).
/// </summary>
internal static class PreservedStructure
{
    /// <summary>Stops the command when -Root is given without -PreserveStructure.</summary>
    public static void Check(PSCmdlet cmdlet, bool preserve, string? root)
    {
        if (root is not null && !preserve)
            cmdlet.ThrowTerminatingError(ErrorRecords.Argument("RootWithoutPreserveStructure", "-Root only makes sense with -PreserveStructure.", root));
    }

    /// <summary>The folder inputs' paths are taken relative to, or null when structure is not kept.</summary>
    public static string? Root(PSCmdlet cmdlet, bool preserve, string? root) =>
        preserve ? PathInput.ResolveOne(cmdlet, root ?? cmdlet.SessionState.Path.CurrentFileSystemLocation.ProviderPath) : null;
}
