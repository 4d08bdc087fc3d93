using FaceEval.Core.Metrics;

namespace FaceEval.Core.Tests;

public class PairListTests
{
    [Fact]
    public void ReadsLfwPairsWithFolds()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("pairs.txt"), "2\t1\nAbel_Pacheco\t1\t4\nAbel_Pacheco\t1\tJim_O'Brien\t2\nAkhmed_Zakayev\t1\t3\nAmber_Tamblyn\t1\tAnnette_Bening\t2\n");
        var pairs = PairList.Read(dir.File("pairs.txt"));
        Assert.Equal(new PairSpec("Abel_Pacheco_0001", "Abel_Pacheco_0004", true, 0), pairs[0]);
        Assert.Equal(new PairSpec("Abel_Pacheco_0001", "Jim_O'Brien_0002", false, 0), pairs[1]);
        Assert.Equal(1, pairs[2].Fold);
        Assert.Equal(1, pairs[3].Fold);
    }

    [Fact]
    public void ReadsCsvWithAndWithoutFolds()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("pairs.csv"), "Reference,Difference,IsMatch,Fold\na.png,b.png,1,3\n\"c.png\",d.png,False,4\n");
        Assert.Equal(new[] { new PairSpec("a.png", "b.png", true, 3), new PairSpec("c.png", "d.png", false, 4) }, PairList.Read(dir.File("pairs.csv")));
        File.WriteAllText(dir.File("nofold.csv"), "Reference,Difference,IsMatch\na,b,yes\n");
        Assert.Null(PairList.Read(dir.File("nofold.csv"))[0].Fold);
    }

    [Theory]
    [InlineData("Reference,Difference\na,b\n", "IsMatch")]
    [InlineData("Reference,Difference,IsMatch\na,b,maybe\n", "maybe")]
    [InlineData("10 300\nname 1\n", "3 (match) or 4")]
    [InlineData("hello world\n", "neither")]
    [InlineData("10 0\nname 1 2\n", "at least one")]          // once a division by zero
    [InlineData("Reference,Difference,IsMatch,Fold\na,b,1,x\n", "fold 'x'")]
    public void BadListsSayWhatIsWrong(string text, string expected)
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("bad.txt"), text);
        var e = Assert.Throws<FaceEvalException>(() => PairList.Read(dir.File("bad.txt")));
        Assert.Equal(FaceEvalError.PairListInvalid, e.Error);
        Assert.Contains(expected, e.Message);
    }
}
