import OCIRuntimeSpec

/// The container's cgroups: one directory per hierarchy on v1, one directory on v2.
///
/// The same protocol fronts v1, v2, hybrid and "no cgroups"; `CgroupFactory` picks one.
public protocol CgroupManager {
    /// Hierarchy key → the container's cgroup directory: the v1 controller names ("memory",
    /// "cpu", "cpuacct", "name=systemd") and "" for the cgroup2 hierarchy (runc's state file keys).
    var paths: [String: String] { get }

    /// The directories `create` made, parents first: what `destroy` may remove besides the
    /// container's own cgroups. Save it with `paths` to destroy from another process.
    var createdDirectories: [String] { get }

    /// Creates the directories in every hierarchy and applies `resources`; with no
    /// `resources`, the default device rules still apply.
    /// - Throws: `BerthError` naming the directory or control file that failed.
    func create(resources: Resources?) throws

    /// Moves `pid` into the container's cgroup in every hierarchy (writes cgroup.procs).
    /// - Throws: `BerthError` naming the cgroup.procs file that refused it.
    func add(pid: Int32) throws

    /// Writes the limits in `resources`; `update` uses it on a running container. Device rules are
    /// only rewritten when `resources.devices` is present.
    /// - Throws: `BerthError` naming the control file and directory.
    func apply(_ resources: Resources) throws

    /// Every process in the container's cgroups, its sub-cgroups included.
    func pids() throws -> [Int32]

    /// Removes the container's cgroups (and their sub-cgroups) deepest first, then the parents in
    /// `createdDirectories`; retries EBUSY for about a second while exiting processes leave.
    /// - Throws: `BerthError` for a directory that stays busy or cannot be removed.
    func destroy() throws

    /// Freezes every process and waits until the kernel reports the cgroup frozen.
    func freeze() throws

    /// Thaws the cgroup.
    func thaw() throws

    /// True when the cgroup is frozen (or freezing).
    func isFrozen() -> Bool

    /// Sends `signal` to every process in the cgroup, frozen first so none can fork away.
    func killAll(signal: Int32) throws

    /// The hierarchies the container's init should mount under /sys/fs/cgroup.
    func mountSources() -> [CgroupMountSource]
}
