using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;

namespace FaceEval.Server;

/// <summary>
/// The connection's output, with a JSON error body given to every error answer that has none.
/// </summary>
/// <remarks>
/// Kestrel refuses some requests before any application code runs (a malformed request line or header, a bad
/// Content-Length, headers or a request line over the limits, an unknown HTTP version) and answers them with
/// a head only: "HTTP/1.1 431 ...", "Content-Length: 0", "Connection: close", flushed on its own as the last
/// thing on the connection. Its unhandled-error 500 has the same form. That is the one answer this writer
/// rewrites: a flush that is exactly one response head, status 400 or more, "Content-Length: 0", no body. It
/// gets the server's error shape, {"error": "..."}, with a message for the status. Everything else passes
/// through unchanged (the application's own errors already carry a JSON body; a HEAD answer has no
/// Content-Length: 0 and keeps its empty body).
/// </remarks>
public sealed class ErrorBodyPipeWriter : PipeWriter
{
    private readonly PipeWriter _inner;
    private readonly Func<int, string> _message;
    private readonly ArrayBufferWriter<byte> _pending = new(4096);

    public ErrorBodyPipeWriter(PipeWriter inner, Func<int, string> message)
    {
        _inner = inner;
        _message = message;
    }

    public override Memory<byte> GetMemory(int sizeHint = 0) => _pending.GetMemory(sizeHint);
    public override Span<byte> GetSpan(int sizeHint = 0) => _pending.GetSpan(sizeHint);
    public override void Advance(int bytes) => _pending.Advance(bytes);
    public override bool CanGetUnflushedBytes => true;
    public override long UnflushedBytes => _pending.WrittenCount;
    public override void CancelPendingFlush() => _inner.CancelPendingFlush();

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
    {
        Forward();
        return _inner.FlushAsync(cancellationToken);
    }

    public override void Complete(Exception? exception = null)
    {
        if (exception is null) Forward();
        _inner.Complete(exception);
    }

    public override ValueTask CompleteAsync(Exception? exception = null)
    {
        if (exception is null) Forward();
        return _inner.CompleteAsync(exception);
    }

    private void Forward()
    {
        if (_pending.WrittenCount == 0) return;
        var written = _pending.WrittenSpan;
        if (WithJsonBody(written, _message) is byte[] rewritten) _inner.Write(rewritten);
        else _inner.Write(written);
        _pending.ResetWrittenCount();
    }

    /// <summary>The answer with a JSON error body, when <paramref name="output"/> is a bodiless error head; else null.</summary>
    public static byte[]? WithJsonBody(ReadOnlySpan<byte> output, Func<int, string> message)
    {
        // "HTTP/1.1 431 Reason\r\n...\r\n\r\n", and nothing after it.
        if (output.Length < 16 || !output.StartsWith("HTTP/1."u8) || output.IndexOf("\r\n\r\n"u8) != output.Length - 4) return null;
        if (!int.TryParse(output.Slice(9, 3), NumberStyles.None, CultureInfo.InvariantCulture, out int status) || status < 400 || output[12] != (byte)' ') return null;
        var lines = Encoding.Latin1.GetString(output[..^4]).Split("\r\n");
        int contentLength = -1;
        for (int i = 1; i < lines.Length; i++)
        {
            string name = lines[i].Split(':', 2)[0].Trim();
            if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase) || name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase)) return null;
            if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                if (contentLength >= 0 || lines[i].Split(':', 2)[1].Trim() != "0") return null;
                contentLength = i;
            }
        }
        if (contentLength < 0) return null;
        byte[] body = JsonSerializer.SerializeToUtf8Bytes(new ErrorResponse(message(status)));
        lines[contentLength] = $"Content-Type: application/json; charset=utf-8\r\nContent-Length: {body.Length.ToString(CultureInfo.InvariantCulture)}";
        return [.. Encoding.Latin1.GetBytes(string.Join("\r\n", lines) + "\r\n\r\n"), .. body];
    }
}
