using System.Management.Automation;
using FaceEval.Core.Imaging;

namespace FaceEval.PowerShell;

/// <summary>
/// Reads a box coordinate strictly (see <see cref="BoxInput.Coordinate"/>) before PowerShell's own
/// conversion can read "1,5" as 15, "0x10" as 16 or an empty CSV cell as 0. An empty cell becomes no value.
/// </summary>
internal sealed class StrictNumberAttribute : ArgumentTransformationAttribute
{
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        if (inputData is PSObject pso) inputData = pso.BaseObject;
        try
        {
            return BoxInput.Coordinate(inputData, "The box coordinate");
        }
        catch (FaceEvalException e)
        {
            throw new ArgumentTransformationMetadataException(e.Message, e);
        }
    }
}
