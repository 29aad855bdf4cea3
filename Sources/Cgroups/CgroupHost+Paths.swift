import Diagnostics
import LinuxSyscalls

extension CgroupHost {
    /// The parent of every cgroup Berth makes up itself: we never create cgroups inside
    /// cgroups we did not create, so the default path has a parent of our own.
    public static let defaultParent = "berth"

    /// `linux.cgroupsPath`, or `/berth/<containerID>` when it is empty or absent.
    public static func containerPath(_ cgroupsPath: String?, containerID: String) -> String {
        guard let path = cgroupsPath, !path.isEmpty else { return "/\(defaultParent)/\(containerID)" }
        return path
    }

    /// The container's cgroup directory in `hierarchy`, with runc's semantics: an absolute
    /// `cgroupsPath` is relative to the hierarchy's root, a relative one to the cgroup the calling
    /// process is in (from /proc/self/cgroup). ".." never climbs above either.
    /// - Throws: `BerthError` `.notFound` when a relative path needs this process's cgroup in a
    ///   hierarchy that /proc/self/cgroup does not list, or that is not visible at the mount.
    public func directory(in hierarchy: CgroupHierarchy, cgroupsPath: String) throws -> String {
        // Cleaning against "/" first keeps "../.." from escaping (runc's utils.CleanPath).
        let inner = Files.normalize("/" + cgroupsPath)
        if cgroupsPath.hasPrefix("/") {
            return Self.join(hierarchy.mountPoint, inner)
        }
        let name = hierarchy.isUnified ? "cgroup2" : hierarchy.mountOptions
        guard let own = ownCgroups[hierarchy.key] else {
            throw BerthError(.notFound, "resolve cgroup path \(cgroupsPath): no \(name) entry in /proc/self/cgroup")
        }
        let root = hierarchy.root == "/" ? "" : hierarchy.root
        guard own == hierarchy.root || own.hasPrefix(root + "/") else {
            throw BerthError(.notFound,
                             "resolve cgroup path \(cgroupsPath): own \(name) cgroup \(own) is outside the mount of \(hierarchy.root)")
        }
        let relative = String(own.dropFirst(root.count))
        return Self.join(Self.join(hierarchy.mountPoint, relative), inner)
    }

    /// `base` + `path` with exactly one "/" between them and none at the end ("/" adds nothing).
    static func join(_ base: String, _ path: String) -> String {
        let tail = path.split(separator: "/").joined(separator: "/")
        if tail.isEmpty { return base }
        return base.hasSuffix("/") ? base + tail : base + "/" + tail
    }
}
