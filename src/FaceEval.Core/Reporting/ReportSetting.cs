namespace FaceEval.Core.Reporting;

/// <summary>One line of a report's settings table: a name and the value as shown.</summary>
public sealed record ReportSetting(string Name, string Value);
