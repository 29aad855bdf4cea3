import Diagnostics
import OCIRuntimeSpec

#if canImport(Glibc)
import Glibc
#endif

/// The cgroup v2 manager: one directory in the unified hierarchy (runc's `fs2` manager).
public final class V2CgroupManager: CgroupManager {
    let hierarchy: CgroupHierarchy
    /// The container's cgroup.
    public let directory: String
    let files: any CgroupFiles
    public private(set) var createdDirectories: [String]

    /// A manager for `cgroupsPath` in the cgroup2 hierarchy of `host`.
    /// - Throws: `BerthError` `.notFound` when the host has no cgroup2 mount or a relative
    ///   path cannot be resolved.
    public init(host: CgroupHost, cgroupsPath: String, files: any CgroupFiles = HostCgroupFiles()) throws {
        guard let unified = host.unified else {
            throw BerthError(.notFound, "create cgroup: no cgroup2 file system is mounted")
        }
        hierarchy = unified
        directory = try host.directory(in: unified, cgroupsPath: cgroupsPath)
        self.files = files
        createdDirectories = []
    }

    /// A manager for a cgroup made earlier, from the `paths` and `createdDirectories` saved then.
    /// - Throws: `BerthError` `.notFound` when `paths` has no "" entry or the host no cgroup2.
    public init(host: CgroupHost, paths: [String: String], createdDirectories: [String],
                files: any CgroupFiles = HostCgroupFiles()) throws {
        guard let unified = host.unified, let directory = paths[""] else {
            throw BerthError(.notFound, "load cgroup: no cgroup2 path in the saved paths")
        }
        hierarchy = unified
        self.directory = directory
        self.files = files
        self.createdDirectories = createdDirectories
    }

    public var paths: [String: String] { ["": directory] }

    // MARK: - Lifecycle

    public func create(resources: Resources?) throws {
        let tree = CgroupTree(files: files)
        let created = try tree.makeDirectories(directory, under: hierarchy.mountPoint)
        do {
            CgroupV2.Controllers.enableAll(in: ancestors(), files: files)
            if let resources { try CgroupV2.apply(resources, directory: directory, files: files) }
        } catch {
            tree.removeCreated(created)
            throw error
        }
        createdDirectories += created
    }

    /// The mount point and every directory between it and the container's cgroup, top down.
    func ancestors() -> [String] {
        var chain = [hierarchy.mountPoint]
        let components = directory.dropFirst(hierarchy.mountPoint.count).split(separator: "/").dropLast()
        for component in components { chain.append("\(chain[chain.count - 1])/\(component)") }
        return chain
    }

    public func add(pid: Int32) throws {
        try BerthError.wrap("add process \(pid) to cgroup") {
            try CgroupTree(files: files).add(pid: pid, to: directory)
        }
    }

    public func apply(_ resources: Resources) throws {
        try CgroupV2.apply(resources, directory: directory, files: files)
    }

    public func pids() throws -> [Int32] {
        try CgroupTree(files: files).pids(directory, recursive: true)
    }

    public func destroy() throws {
        try CgroupTree(files: files).remove(directory, deadline: Deadline(milliseconds: 1000))
        for parent in createdDirectories.reversed() { try? files.removeDirectory(parent) }
        createdDirectories = []
    }

    // MARK: - Freezer and signals

    public func freeze() throws {
        try CgroupV2.Freezer.set(frozen: true, directory: directory, files: files)
    }

    public func thaw() throws {
        try CgroupV2.Freezer.set(frozen: false, directory: directory, files: files)
    }

    public func isFrozen() -> Bool {
        (try? files.read(directory, "cgroup.freeze").trimmingWhitespace()) == "1"
    }

    public func killAll(signal: Int32) throws {
        // cgroup.kill (5.14+) kills the whole sub-tree in the kernel, racing nothing.
        if signal == SIGKILL && files.exists(directory, "cgroup.kill") {
            try files.write(directory, "cgroup.kill", "1")
            return
        }
        let wasFrozen = isFrozen()
        if !wasFrozen { try freeze() }
        defer { if !wasFrozen || signal == SIGKILL { try? thaw() } }
        try CgroupTree.signal(pids(), signal)
    }

    public func mountSources() -> [CgroupMountSource] {
        [CgroupMountSource(name: "", hostPath: directory, fsType: "cgroup2", options: "")]
    }
}
