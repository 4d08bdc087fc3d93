using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace FaceEval.Server;

/// <summary>
/// The server's console log: one line per entry ("2026-01-31 12:00:00 info: Category[0] message"), with every
/// character a terminal would obey escaped (<see cref="LogText"/>), whoever wrote the message: the server's own
/// lines, which bound and escape client text themselves, and framework lines, which may quote a request.
/// </summary>
public sealed class SafeConsoleFormatter : ConsoleFormatter
{
    public const string FormatterName = "faceeval";

    public SafeConsoleFormatter() : base(FormatterName) { }

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        string? message = logEntry.Formatter?.Invoke(logEntry.State, logEntry.Exception);
        if (message is null && logEntry.Exception is null) return;
        var line = new StringBuilder(128)
            .Append(DateTimeOffset.Now.ToString("yyyy-MM-dd HH:mm:ss ", CultureInfo.InvariantCulture))
            .Append(Level(logEntry.LogLevel)).Append(": ")
            .Append(logEntry.Category).Append('[').Append(logEntry.EventId.Id.ToString(CultureInfo.InvariantCulture)).Append("] ")
            .Append(message);
        if (logEntry.Exception is not null) line.Append(' ').Append(logEntry.Exception);
        textWriter.Write(LogText.EscapeLine(line.ToString()));
        textWriter.Write(Environment.NewLine);
    }

    private static string Level(LogLevel level) => level switch
    {
        LogLevel.Trace => "trce",
        LogLevel.Debug => "dbug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "fail",
        LogLevel.Critical => "crit",
        _ => "none",
    };
}
