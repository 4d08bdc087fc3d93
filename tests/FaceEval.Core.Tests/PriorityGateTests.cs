using FaceEval.Core.Concurrency;

namespace FaceEval.Core.Tests;

public class PriorityGateTests
{
    [Fact]
    public async Task FreeSlotsAreTakenAtOnceAndReleasedSlotsGoToTheLowestNumber()
    {
        var gate = new PriorityGate(2);
        await gate.WaitAsync(5, default);
        await gate.WaitAsync(6, default);
        Assert.Equal(0, gate.Free);
        var late = gate.WaitAsync(9, default);
        var early = gate.WaitAsync(1, default);   // e.g. a retry of an item that started first
        var tie = gate.WaitAsync(1, default);
        Assert.False(late.IsCompleted || early.IsCompleted);
        gate.Release();
        await early;
        Assert.False(tie.IsCompleted);
        Assert.False(late.IsCompleted);
        gate.Release();
        await tie;                                // equal numbers: first come, first served
        Assert.False(late.IsCompleted);
        gate.Release();
        await late;
        gate.Release();
        gate.Release();
        Assert.Equal(2, gate.Free);
    }

    [Fact]
    public async Task ACancelledWaiterIsSkippedAndLosesNoSlot()
    {
        var gate = new PriorityGate(1);
        await gate.WaitAsync(0, default);
        using var cts = new CancellationTokenSource();
        var cancelled = gate.WaitAsync(1, cts.Token);
        var next = gate.WaitAsync(2, default);
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        gate.Release();
        await next;
        Assert.Equal(0, gate.Free);
        gate.Release();
        Assert.Equal(1, gate.Free);
    }

    [Fact]
    public void RejectsAGateWithoutSlots() => Assert.Throws<ArgumentOutOfRangeException>(() => new PriorityGate(0));
}
