using FaceEval.Core.Client;

namespace FaceEval.Core.Tests;

public class NpyFileTests
{
    [Fact]
    public void EncodesFormat10LittleEndianFloat32WithA64ByteAlignedHeader()
    {
        var bytes = NpyFile.Encode(new[] { 1f, -2.5f, 3.25f });
        Assert.Equal(new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0 }, bytes[..8]);
        int headerLength = BitConverter.ToUInt16(bytes, 8);
        Assert.Equal(0, (10 + headerLength) % 64);
        string header = System.Text.Encoding.ASCII.GetString(bytes, 10, headerLength);
        Assert.StartsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }", header);
        Assert.EndsWith("\n", header);
        Assert.Equal(10 + headerLength + 12, bytes.Length);
        Assert.Equal(-2.5f, BitConverter.ToSingle(bytes, 10 + headerLength + 4));
        Assert.Equal(new[] { 1f, -2.5f, 3.25f }, Assert.Single(NpyFile.Decode(bytes, "x")));
    }

    [Fact]
    public void TruncatedFilesAreInvalidAndSayWhy()
    {
        using var dir = new TempDir();
        var bytes = NpyFile.Encode(new float[128]);
        File.WriteAllBytes(dir.File("cut.npy"), bytes[..^10]);
        Assert.False(NpyFile.IsValidVector(dir.File("cut.npy")));
        var e = Assert.Throws<InvalidDataException>(() => NpyFile.Read(dir.File("cut.npy")));
        Assert.Contains("truncated", e.Message);
        NpyFile.Write(dir.File("ok.npy"), new float[128]);
        Assert.True(NpyFile.IsValidVector(dir.File("ok.npy"), 128));
        Assert.False(NpyFile.IsValidVector(dir.File("ok.npy"), 512));
        Assert.False(NpyFile.IsValidVector(dir.File("missing.npy")));
    }
}

public class EndpointRedactorTests
{
    [Fact]
    public void ScrubsTheUrlItsAuthorityAndItsHost()
    {
        var r = new EndpointRedactor(new Uri("https://api.vendor.example:8443/v2/extract?key=abc"));
        Assert.Matches("^https://endpoint-[0-9a-f]{8}$", r.Redacted);
        string scrubbed = r.Scrub("POST https://api.vendor.example:8443/v2/extract?key=abc failed; connect to api.vendor.example:8443 (API.VENDOR.EXAMPLE) refused");
        Assert.DoesNotContain("vendor", scrubbed, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("8443", scrubbed);
        Assert.Contains(r.Redacted, scrubbed);
    }
}

public class RunManifestTests
{
    [Fact]
    public void SkipsOnlyIntactItemsOfTheSameModelAndBytesAndSurvivesATornLine()
    {
        using var dir = new TempDir();
        string npy = dir.File("a.npy");
        NpyFile.Write(npy, new[] { 0.6f, 0.8f });
        using (var m = RunManifest.Open(dir.File("manifest.jsonl")))
            m.Append(new ManifestRow { Source = "a.png", CropSha256 = "abc", Model = "eagle", Status = RunManifest.StatusOk, Npy = npy, Dimension = 2 });
        File.AppendAllText(dir.File("manifest.jsonl"), "{\"time\":\"2026-"); // killed mid-line

        using var again = RunManifest.Open(dir.File("manifest.jsonl"));
        Assert.Single(again.Rows);
        Assert.True(again.IsDone(npy, "eagle", "abc"));
        Assert.False(again.IsDone(npy, "dingo", "abc"));
        Assert.False(again.IsDone(npy, "eagle", "other bytes"));
        again.Append(new ManifestRow { Source = "b.png", Model = "eagle", Status = RunManifest.StatusNoFace });
        File.WriteAllBytes(npy, new byte[] { 1, 2, 3 }); // damaged since
        Assert.False(again.IsDone(npy, "eagle", "abc"));
        Assert.Equal(2, RunManifest.Read(dir.File("manifest.jsonl")).Count);
    }
}
