using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Text;

namespace FaceEval.PowerShell;

/// <summary>
/// The result table's TAR columns follow the FAR targets measured. The default view shows TAR at 1e-2, 1e-3
/// and 1e-4; for other targets, the results get a type name of their own (FaceEval.VerificationResult#FAR_…)
/// and a view for it is added to the session once, with one TAR column per target (at most four).
/// </summary>
internal static class TargetColumnsView
{
    private static readonly double[] s_defaultColumns = { 1e-2, 1e-3, 1e-4 };
    private static readonly HashSet<string> s_loaded = new(StringComparer.Ordinal);
    private const int MaxColumns = 4;

    /// <summary>Tags the result for a view whose TAR columns are <paramref name="targets"/>, loading that view when new.</summary>
    /// <param name="cmdlet">The measuring cmdlet, whose session gets the view.</param>
    /// <param name="result">One result.</param>
    /// <param name="targets">The targets measured.</param>
    /// <param name="chosen">False when the targets are the defaults: the default view shows them.</param>
    public static PSObject Tag(PSCmdlet cmdlet, VerificationResult result, IReadOnlyList<double> targets, bool chosen)
    {
        var wrapped = PSObject.AsPSObject(result);
        var columns = targets.Distinct().Take(MaxColumns).ToArray();
        if (!chosen || columns.SequenceEqual(s_defaultColumns)) return wrapped;
        string typeName = "FaceEval.VerificationResult#FAR_" + string.Join("_", columns.Select(Label));
        lock (s_loaded)
        {
            if (!s_loaded.Contains(typeName))
            {
                // Named by its content, so any number of sessions share one small file per set of targets; it stays,
                // because PowerShell reads the format files it was given again whenever format data is updated.
                string xml = ViewXml(typeName, columns);
                string hash = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(xml)))[..16].ToLowerInvariant();
                string file = Path.Combine(Path.GetTempPath(), $"FaceEval.{hash}.format.ps1xml");
                if (!File.Exists(file)) File.WriteAllText(file, xml, Encoding.UTF8);
                cmdlet.InvokeCommand.InvokeScript("param($f) Update-FormatData -PrependPath $f", true, PipelineResultTypes.None, null, file);
                s_loaded.Add(typeName);
            }
        }
        wrapped.TypeNames.Insert(0, typeName);
        return wrapped;
    }

    private static string Label(double far) => far.ToString("0.#####e0", CultureInfo.InvariantCulture);

    private static string ViewXml(string typeName, IReadOnlyList<double> columns)
    {
        var x = new StringBuilder();
        x.Append("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<Configuration><ViewDefinitions><View><Name>").Append(typeName).Append("</Name><ViewSelectedBy><TypeName>")
         .Append(typeName).Append("</TypeName></ViewSelectedBy><TableControl><TableHeaders>");
        foreach (var (label, right) in new[] { ("Model", false), ("Genuine", true), ("Impostor", true), ("FTE", true), ("AUC", true), ("EER", true) })
            x.Append("<TableColumnHeader><Label>").Append(label).Append("</Label>").Append(right ? "<Alignment>Right</Alignment>" : "").Append("</TableColumnHeader>");
        foreach (var far in columns)
            x.Append("<TableColumnHeader><Label>TAR@FAR").Append(Label(far)).Append("</Label><Alignment>Right</Alignment></TableColumnHeader>");
        x.Append("<TableColumnHeader><Label>KFoldAcc</Label><Alignment>Right</Alignment></TableColumnHeader></TableHeaders><TableRowEntries><TableRowEntry><TableColumnItems>")
         .Append("<TableColumnItem><PropertyName>Model</PropertyName></TableColumnItem>")
         .Append("<TableColumnItem><ScriptBlock>'{0:N0}' -f $_.GenuinePairs</ScriptBlock></TableColumnItem>")
         .Append("<TableColumnItem><ScriptBlock>'{0:N0}' -f $_.ImpostorPairs</ScriptBlock></TableColumnItem>")
         .Append("<TableColumnItem><PropertyName>FailureToEnrol</PropertyName></TableColumnItem>")
         .Append("<TableColumnItem><ScriptBlock>'{0:N4}' -f $_.Auc</ScriptBlock></TableColumnItem>")
         .Append("<TableColumnItem><ScriptBlock>'{0:P2}' -f $_.Eer</ScriptBlock></TableColumnItem>");
        foreach (var far in columns)
            x.Append("<TableColumnItem><ScriptBlock>$p = $_.At(").Append(far.ToString("R", CultureInfo.InvariantCulture))
             .Append("); if ($null -eq $p) { '' } elseif (-not $p.Estimable) { 'n/e' } else { '{0:P2}' -f $p.Tar }</ScriptBlock></TableColumnItem>");
        x.Append("<TableColumnItem><ScriptBlock>if ($_.Folds -gt 0) { '{0:P2}' -f $_.KFoldAccuracy }</ScriptBlock></TableColumnItem>")
         .Append("</TableColumnItems></TableRowEntry></TableRowEntries></TableControl></View></ViewDefinitions></Configuration>\n");
        return x.ToString();
    }
}
