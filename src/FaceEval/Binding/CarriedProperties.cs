using System.Management.Automation;

namespace FaceEval.PowerShell;

/// <summary>
/// The labels a piped object brings along (Identity, ConsentRef, ...), copied onto a cmdlet's output so
/// that they travel with the face. Not carried: names that bind to the cmdlet's own parameters, the
/// provider's PS* notes, the properties of a plain file or string, and names the output type already has.
/// </summary>
internal sealed class CarriedProperties
{
    private static readonly string[] s_providerNotes = { "PSPath", "PSParentPath", "PSChildName", "PSDrive", "PSProvider", "PSIsContainer" };
    private readonly HashSet<string> _bound;
    private readonly HashSet<string> _outputNames;

    public CarriedProperties(Type outputType, params string[] boundNames)
    {
        _bound = new HashSet<string>(boundNames.Concat(s_providerNotes), StringComparer.OrdinalIgnoreCase);
        _outputNames = new HashSet<string>(outputType.GetProperties().Select(p => p.Name), StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The properties to carry from <paramref name="input"/>, or null when there are none.</summary>
    /// <param name="input">The piped object.</param>
    /// <param name="shadowed">Told the name of each label left behind because the output has a property of that name.</param>
    public IReadOnlyList<KeyValuePair<string, object?>>? From(PSObject? input, Action<string>? shadowed = null)
    {
        if (input is null || input.BaseObject is string or FileSystemInfo) return null;
        bool custom = input.BaseObject is PSCustomObject;
        var carried = new List<KeyValuePair<string, object?>>();
        foreach (var property in input.Properties)
        {
            // Of a .NET object only the notes added to it are labels; its own properties are not.
            if (!custom && property.MemberType != PSMemberTypes.NoteProperty) continue;
            if (_bound.Contains(property.Name)) continue;
            if (_outputNames.Contains(property.Name))
            {
                shadowed?.Invoke(property.Name);
                continue;
            }
            carried.Add(new(property.Name, property.Value));
        }
        return carried.Count == 0 ? null : carried;
    }

    /// <summary>Adds the carried properties to an output object.</summary>
    public static PSObject Attach(object output, IReadOnlyList<KeyValuePair<string, object?>>? carried)
    {
        var wrapped = PSObject.AsPSObject(output);
        if (carried is not null)
            foreach (var (name, value) in carried) wrapped.Properties.Add(new PSNoteProperty(name, value));
        return wrapped;
    }
}
