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

    public static TheoryData<string, string, string, int> MalformedLists() => new()
    {
        // what, text, what the message says, the line it names (0: the file as a whole)
        { "empty file", "", "empty", 0 },
        { "blank lines only", "\n  \n\t\n", "empty", 0 },
        { "zero pairs per fold", "10 0\nname 1 2\n", "at least one", 1 },          // once a division by zero
        { "zero folds", "0 1\nname 1 2\nname 1 other 2\n", "at least one", 1 },
        { "negative folds", "-1 300\nname 1 2\n", "'-1'", 1 },
        { "negative pairs per fold", "10 -5\nname 1 2\n", "'-5'", 1 },
        { "non-numeric header", "hello world\n", "neither", 1 },
        { "half-numeric header", "10 abc\nname 1 2\n", "neither", 1 },
        { "three header fields", "10 300 7\nname 1 2\n", "neither", 1 },
        { "header too large", "99999999999 1\nname 1 2\n", "too large", 1 },
        { "header product too large", "2000000000 2000000000\nname 1 2\n", "follow", 1 },
        { "pairs per fold overflowing twice", "1 1500000000\nname 1 2\n", "follow", 1 },
        { "too few lines", "1 2\nname 1 2\nname 1 other 2\n", "2 follow", 1 },
        { "too many lines", "1 1\na 1 2\nb 1 c 2\nd 1 2\n", "3 follow", 1 },
        { "single count, too few lines", "2\na 1 2\nb 1 c 2\n", "2 follow", 1 },
        { "header only", "10 300\n", "0 follow", 1 },
        { "two fields", "1 1\nname 1\nb 1 c 2\n", "3 (match) or 4", 2 },
        { "five fields", "1 1\na 1 2 3 4\nb 1 c 2\n", "5 fields", 2 },
        { "non-numeric index", "1 1\na x 2\nb 1 c 2\n", "'x' is not an image number", 2 },
        { "negative index", "1 1\na 1 2\nb -1 c 2\n", "'-1' is not an image number", 3 },
        { "index too large", "1 1\na 1 2\nb 1 c 99999999999\n", "'99999999999' is not an image number", 3 },
        { "decimal index", "1 1\na 1.5 2\nb 1 c 2\n", "'1.5' is not an image number", 2 },
        { "line numbers count blank lines", "1 1\n\n\na 1 2\n\nb 1\n", "3 (match) or 4", 6 },
        { "no IsMatch column", "Reference,Difference\na,b\n", "IsMatch", 1 },
        { "no Reference column", "Ref,Difference,IsMatch\na,b,1\n", "Reference", 1 },
        { "semicolons", "Reference;Difference;IsMatch\na;b;1\n", "';'", 1 },
        { "a column twice", "Reference,Difference,IsMatch,Reference\na,b,1,c\n", "twice", 1 },
        { "bad IsMatch", "Reference,Difference,IsMatch\na,b,maybe\n", "maybe", 2 },
        { "IsMatch 2", "Reference,Difference,IsMatch\r\na,b,1\r\nc,d,2\r\n", "'2'", 3 },
        { "empty IsMatch", "Reference,Difference,IsMatch\na,b,\n", "IsMatch '' ", 2 },
        { "bad fold", "Reference,Difference,IsMatch,Fold\na,b,1,x\n", "fold 'x'", 2 },
        { "negative fold", "Reference,Difference,IsMatch,Fold\na,b,1,-3\n", "fold '-3'", 2 },
        { "too few fields", "Reference,Difference,IsMatch\na,b\n", "2 fields; the header has 3", 2 },
        { "too many fields", "Reference,Difference,IsMatch\na,b,1,extra\n", "4 fields; the header has 3", 2 },
        { "empty Reference", "Reference,Difference,IsMatch\n,b,1\n", "Reference is empty", 2 },
        { "empty Difference", "Reference,Difference,IsMatch\na,\"\",1\n", "Difference is empty", 2 },
        { "unclosed quote", "Reference,Difference,IsMatch\n\"a,b,1\n", "quote", 2 },
        { "text after a quote", "Reference,Difference,IsMatch\n\"a\"x,b,1\n", "quote", 2 },
        { "CSV header only", "Reference,Difference,IsMatch\n", "no pairs", 0 },
        { "binary garbage", "\u0001\u0002PNG\u0000\u0000 IHDR\n", "neither", 1 },
    };

    [Theory]
    [MemberData(nameof(MalformedLists))]
    public void EveryMalformedListIsOnePairListInvalidNamingTheFileTheLineAndWhatIsWrong(string what, string text, string expected, int line)
    {
        using var dir = new TempDir();
        string path = dir.File("bad pairs.txt");
        File.WriteAllText(path, text);
        var e = Assert.Throws<FaceEvalException>(() => PairList.Read(path));
        Assert.Equal(FaceEvalError.PairListInvalid, e.Error);
        Assert.Equal(path, e.Target);
        Assert.Contains($"'{path}'", e.Message);
        Assert.Contains(expected, e.Message);
        if (line > 0) Assert.Contains($"line {line}:", e.Message);
        else Assert.DoesNotMatch(@"line \d+:", e.Message);
        Assert.False(string.IsNullOrEmpty(what));
    }

    [Fact]
    public void ReadsQuotedCsvFieldsAndASingleCountHeader()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("q.csv"), "\"Reference\",Difference,IsMatch\n\"a,1.png\",\"say \"\"b\"\".png\",1\n");
        Assert.Equal(new PairSpec("a,1.png", "say \"b\".png", true, null), Assert.Single(PairList.Read(dir.File("q.csv"))));
        File.WriteAllText(dir.File("excel.csv"), "sep=,\r\nReference,Difference,IsMatch\r\na,b,TRUE\r\n");
        Assert.Equal(new PairSpec("a", "b", true, null), Assert.Single(PairList.Read(dir.File("excel.csv"))));
        File.WriteAllText(dir.File("dev.txt"), "1\na 1 2\nb 1 c 2\n");
        var dev = PairList.Read(dir.File("dev.txt"));
        Assert.Equal(2, dev.Count);
        Assert.All(dev, p => Assert.Null(p.Fold));
    }
}
