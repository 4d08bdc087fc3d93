using System.Runtime.InteropServices;
using System.Text;
using FaceEval.Core.Evaluation;
using FaceEval.Core.Metrics;

namespace FaceEval.Core.IO;

/// <summary>
/// The binary files of a split verification run: state files (<c>-SaveState</c>: one block's counts per
/// model) and plan files (what every block must resolve next). Both start with a magic line and the format
/// version (<see cref="VerificationState.FormatVersion"/>); a file of another version is refused, never
/// guessed at. Little-endian; impostor and refinement counts stored sparsely (bucket, count).
/// </summary>
public static class VerificationStateFile
{
    private static readonly byte[] s_stateMagic = Encoding.ASCII.GetBytes("FaceEval verification state\n");
    private static readonly byte[] s_planMagic = Encoding.ASCII.GetBytes("FaceEval verification plan\n");

    public static void Write(string path, VerificationState state)
    {
        using var memory = new MemoryStream();
        using (var w = new BinaryWriter(memory, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(s_stateMagic);
            w.Write(VerificationState.FormatVersion);
            w.Write(state.BlockIndex);
            w.Write(state.BlockCount);
            w.Write(state.FarTargets.Count);
            foreach (var t in state.FarTargets) w.Write(t);
            w.Write((int)state.Convention);
            w.Write((int)state.FailureToEnrol);
            w.Write(state.Models.Count);
            foreach (var m in state.Models)
            {
                w.Write(m.Model);
                w.Write(m.Fingerprint);
                w.Write(m.Dimension);
                w.Write(m.FailureToEnrol);
                WriteCounts(w, m.Counts);
            }
        }
        AtomicFile.WriteAllBytes(path, memory.GetBuffer().AsSpan(0, (int)memory.Length), overwrite: true);
    }

    /// <exception cref="FaceEvalException">StateInvalid (not a state file, damaged, another version) or FileNotFound.</exception>
    public static VerificationState Read(string path) => Reading(path, s_stateMagic, "state", r =>
    {
        int blockIndex = r.ReadInt32(), blockCount = r.ReadInt32();
        var targets = new double[Count(r, 1_000)];
        for (int k = 0; k < targets.Length; k++) targets[k] = r.ReadDouble();
        var convention = (FarConvention)r.ReadInt32();
        var handling = (FailureToEnrolHandling)r.ReadInt32();
        var models = new List<VerificationModelState>();
        for (int k = Count(r, 100_000); k > 0; k--)
            models.Add(new VerificationModelState(r.ReadString(), r.ReadString(), r.ReadInt32(), r.ReadInt32(), ReadCounts(r)));
        return new VerificationState { BlockIndex = blockIndex, BlockCount = blockCount, FarTargets = targets, Convention = convention, FailureToEnrol = handling, Models = models };
    });

    public static void WritePlan(string path, IReadOnlyList<VerificationPlanEntry> plans)
    {
        using var memory = new MemoryStream();
        using (var w = new BinaryWriter(memory, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(s_planMagic);
            w.Write(VerificationState.FormatVersion);
            w.Write(plans.Count);
            foreach (var p in plans)
            {
                w.Write(p.Model);
                w.Write(p.Fingerprint);
                WritePlan(w, p.Plan);
            }
        }
        AtomicFile.WriteAllBytes(path, memory.GetBuffer().AsSpan(0, (int)memory.Length), overwrite: true);
    }

    /// <exception cref="FaceEvalException">StateInvalid or FileNotFound.</exception>
    public static IReadOnlyList<VerificationPlanEntry> ReadPlan(string path) => Reading(path, s_planMagic, "plan", r =>
    {
        var plans = new List<VerificationPlanEntry>();
        for (int k = Count(r, 100_000); k > 0; k--) plans.Add(new VerificationPlanEntry(r.ReadString(), r.ReadString(), ReadPlan(r)));
        return plans;
    });

    private static T Reading<T>(string path, byte[] magic, string kind, Func<BinaryReader, T> read)
    {
        if (!File.Exists(path)) throw new FaceEvalException(FaceEvalError.FileNotFound, $"The verification {kind} file '{path}' does not exist.", path);
        try
        {
            using var stream = File.OpenRead(path);
            using var r = new BinaryReader(stream, Encoding.UTF8);
            var head = r.ReadBytes(magic.Length);
            if (!head.AsSpan().SequenceEqual(magic))
                throw new FaceEvalException(FaceEvalError.StateInvalid, $"'{path}' is not a FaceEval verification {kind} file (write one with Measure-FaceVerification -SaveState{(kind == "plan" ? "; Merge-FaceVerificationState writes plans" : "")}).", path);
            int version = r.ReadInt32();
            if (version != VerificationState.FormatVersion)
                throw new FaceEvalException(FaceEvalError.StateInvalid, $"'{path}' is a verification {kind} file of format version {version}; this FaceEval reads version {VerificationState.FormatVersion}. Count the blocks again with this version.", path);
            var result = read(r);
            if (stream.Position != stream.Length) throw new InvalidDataException("data after the end");
            return result;
        }
        catch (Exception e) when (e is EndOfStreamException or InvalidDataException or IOException or ArgumentException or OverflowException)
        {
            throw new FaceEvalException(FaceEvalError.StateInvalid, $"The verification {kind} file '{path}' is damaged ({e.Message}): write it again.", path, e);
        }
    }

    private static int Count(BinaryReader r, long most)
    {
        int n = r.ReadInt32();
        if (n < 0 || n > most) throw new InvalidDataException($"a count of {n}");
        return n;
    }

    private static void WriteCounts(BinaryWriter w, PairCounts c)
    {
        w.Write(c.Items);
        w.Write(c.BlockIndex);
        w.Write(c.BlockCount);
        w.Write(c.Genuine.Length);
        w.Write(MemoryMarshal.AsBytes(c.Genuine.AsSpan()));
        WriteSparse(w, c.Impostor);
        w.Write(c.GenuineFailures);
        w.Write(c.ImpostorFailures);
        foreach (var v in c.ExponentSum) w.Write(v);
        foreach (var v in c.ExponentSquares) { w.Write((ulong)(v & ulong.MaxValue)); w.Write((long)(v >> 64)); }
        w.Write(c.MinKey);
        w.Write(c.MaxKey);
        w.Write(c.Plan is not null);
        if (c.Plan is { } plan)
        {
            WritePlan(w, plan);
            WriteSparse(w, c.Sub);
            w.Write(c.AucWithinTwice);
        }
    }

    private static PairCounts ReadCounts(BinaryReader r)
    {
        var c = new PairCounts { Items = r.ReadInt32(), BlockIndex = r.ReadInt32(), BlockCount = r.ReadInt32() };
        c.Genuine = new float[Count(r, Array.MaxLength)];
        ReadExactly(r, MemoryMarshal.AsBytes(c.Genuine.AsSpan()));
        ReadSparse(r, c.Impostor);
        c.GenuineFailures = r.ReadInt64();
        c.ImpostorFailures = r.ReadInt64();
        for (int e = 0; e < 256; e++) c.ExponentSum[e] = r.ReadInt64();
        for (int e = 0; e < 256; e++) { ulong low = r.ReadUInt64(); long high = r.ReadInt64(); c.ExponentSquares[e] = ((Int128)high << 64) | low; }
        c.MinKey = r.ReadUInt32();
        c.MaxKey = r.ReadUInt32();
        if (r.ReadBoolean())
        {
            c.Plan = ReadPlan(r);
            c.Sub = new long[(long)c.Plan.Buckets.Length * ScoreKey.SubBuckets];
            ReadSparse(r, c.Sub);
            c.AucWithinTwice = r.ReadInt64();
        }
        return c;
    }

    private static void WritePlan(BinaryWriter w, CountPlan plan)
    {
        w.Write(plan.Buckets.Length);
        w.Write(MemoryMarshal.AsBytes(plan.Buckets.AsSpan()));
        w.Write(plan.GenuineKeys.Length);
        w.Write(MemoryMarshal.AsBytes(plan.GenuineKeys.AsSpan()));
    }

    private static CountPlan ReadPlan(BinaryReader r)
    {
        var buckets = new int[Count(r, ScoreKey.Buckets)];
        ReadExactly(r, MemoryMarshal.AsBytes(buckets.AsSpan()));
        foreach (var b in buckets) if ((uint)b >= ScoreKey.Buckets) throw new InvalidDataException($"bucket {b}");
        var keys = new uint[Count(r, Array.MaxLength)];
        ReadExactly(r, MemoryMarshal.AsBytes(keys.AsSpan()));
        return new CountPlan(buckets, keys);
    }

    private static void WriteSparse(BinaryWriter w, long[] values)
    {
        w.Write(values.Length);
        w.Write(values.Count(v => v != 0));
        for (int k = 0; k < values.Length; k++)
            if (values[k] != 0) { w.Write(k); w.Write(values[k]); }
    }

    private static void ReadSparse(BinaryReader r, long[] into)
    {
        int length = r.ReadInt32();
        if (length != into.Length) throw new InvalidDataException($"{length} counts where {into.Length} belong");
        for (int n = Count(r, length); n > 0; n--)
        {
            int k = r.ReadInt32();
            if ((uint)k >= (uint)into.Length) throw new InvalidDataException($"index {k}");
            into[k] = r.ReadInt64();
        }
    }

    private static void ReadExactly(BinaryReader r, Span<byte> into)
    {
        while (into.Length > 0)
        {
            int n = r.Read(into);
            if (n == 0) throw new EndOfStreamException();
            into = into[n..];
        }
    }
}
