namespace FaceEval.PowerShell;

/// <summary>The reference servers this session started, so they can be listed, stopped, and never orphaned.</summary>
internal static class ServerRegistry
{
    private static readonly List<ReferenceServer> s_servers = new();

    static ServerRegistry() => AppDomain.CurrentDomain.ProcessExit += (_, _) => StopAll();

    public static void Add(ReferenceServer server)
    {
        lock (s_servers) s_servers.Add(server);
    }

    public static ReferenceServer[] All()
    {
        lock (s_servers) return s_servers.ToArray();
    }

    public static void Stop(ReferenceServer server)
    {
        lock (s_servers) s_servers.Remove(server);
        server.Dispose();
    }

    public static void StopAll()
    {
        foreach (var s in All()) Stop(s);
    }
}
