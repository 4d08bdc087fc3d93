using System.Collections;
using System.Management.Automation;

namespace FaceEval.PowerShell;

/// <summary>
/// Flattens nested arrays of numbers, so <c>-BoundingBox 1,2,3,4</c> and <c>-BoundingBox (1,2,3,4),(5,6,7,8)</c>
/// both bind, reading each strictly (see <see cref="Core.Imaging.BoxInput.Coordinate"/>): "1,5" is not 15.
/// </summary>
internal sealed class FlattenNumbersAttribute : ArgumentTransformationAttribute
{
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        var flat = new List<object?>();
        Flatten(inputData, flat);
        var numbers = new double[flat.Count];
        for (int i = 0; i < flat.Count; i++)
        {
            try
            {
                numbers[i] = Core.Imaging.BoxInput.Coordinate(flat[i], $"Number {i + 1} of -BoundingBox")
                    ?? throw new ArgumentTransformationMetadataException($"Number {i + 1} of -BoundingBox is empty.");
            }
            catch (FaceEvalException e)
            {
                throw new ArgumentTransformationMetadataException(e.Message, e);
            }
        }
        return numbers;
    }

    private static void Flatten(object? value, List<object?> into)
    {
        if (value is PSObject pso) value = pso.BaseObject;
        if (value is IEnumerable e and not string)
        {
            foreach (var item in e) Flatten(item, into);
        }
        else
        {
            into.Add(value);
        }
    }
}
