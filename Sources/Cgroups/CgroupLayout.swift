/// How the host mounts its cgroup file systems.
public enum CgroupLayout: String, Sendable, Equatable, Codable {
    /// Only cgroup v1 hierarchies ("legacy").
    case v1
    /// One cgroup2 hierarchy at the cgroup root ("unified").
    case v2
    /// v1 hierarchies for the controllers plus a cgroup2 mount (usually /sys/fs/cgroup/unified)
    /// with no controllers, which only tracks processes: systemd's "hybrid" mode.
    case hybrid
}
