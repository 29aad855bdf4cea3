import Diagnostics
import OCIRuntimeSpec

#if canImport(Glibc)
import Glibc
#endif

/// The cgroup v1 manager: one directory per mounted hierarchy (runc's `fs` manager). On a hybrid
/// host it also makes and joins the same path in the cgroup2 hierarchy, which only tracks
/// processes there.
public final class V1CgroupManager: CgroupManager {
    /// One hierarchy and the container's directory in it.
    struct Placement {
        var hierarchy: CgroupHierarchy
        var directory: String
    }

    let placements: [Placement]
    /// The container's directory in the cgroup2 hierarchy of a hybrid host.
    let unified: Placement?
    let files: any CgroupFiles
    public private(set) var createdDirectories: [String]

    /// A manager for `cgroupsPath` in every v1 hierarchy of `host` (and its cgroup2 one when
    /// hybrid). Named hierarchies other than name=systemd are left alone.
    /// - Throws: `BerthError` `.notFound` when a relative path cannot be resolved.
    public init(host: CgroupHost, cgroupsPath: String, files: any CgroupFiles = HostCgroupFiles()) throws {
        var placements: [Placement] = []
        for hierarchy in host.v1Hierarchies where Self.manages(hierarchy) {
            placements.append(Placement(hierarchy: hierarchy,
                                        directory: try host.directory(in: hierarchy, cgroupsPath: cgroupsPath)))
        }
        self.placements = placements
        if host.layout == .hybrid, let hierarchy = host.unified {
            unified = Placement(hierarchy: hierarchy, directory: try host.directory(in: hierarchy, cgroupsPath: cgroupsPath))
        } else {
            unified = nil
        }
        self.files = files
        createdDirectories = []
    }

    /// A manager for cgroups made earlier, from the `paths` and `createdDirectories` saved then.
    public init(host: CgroupHost, paths: [String: String], createdDirectories: [String],
                files: any CgroupFiles = HostCgroupFiles()) {
        placements = host.v1Hierarchies.compactMap { hierarchy in
            paths[hierarchy.key].map { Placement(hierarchy: hierarchy, directory: $0) }
        }
        if let hierarchy = host.unified, let directory = paths[""] {
            unified = Placement(hierarchy: hierarchy, directory: directory)
        } else {
            unified = nil
        }
        self.files = files
        self.createdDirectories = createdDirectories
    }

    static func manages(_ hierarchy: CgroupHierarchy) -> Bool {
        hierarchy.controllers.contains { !$0.hasPrefix("name=") || $0 == "name=systemd" }
    }

    var allPlacements: [Placement] { placements + (unified.map { [$0] } ?? []) }

    func directory(of controller: String) -> String? {
        placements.first { $0.hierarchy.controllers.contains(controller) }?.directory
    }

    public var paths: [String: String] {
        var result: [String: String] = [:]
        for placement in placements {
            for controller in placement.hierarchy.controllers { result[controller] = placement.directory }
        }
        if let unified { result[""] = unified.directory }
        return result
    }

    // MARK: - Lifecycle

    public func create(resources: Resources?) throws {
        // Without the devices controller a container could open any device node: refuse.
        guard directory(of: "devices") != nil else {
            throw BerthError(.notFound, "create cgroup: the devices controller is not mounted")
        }
        let tree = CgroupTree(files: files)
        var created: [String] = []
        do {
            for placement in allPlacements {
                created += try tree.makeDirectories(placement.directory, under: placement.hierarchy.mountPoint)
            }
            if let cpuset = placements.first(where: { $0.hierarchy.controllers.contains("cpuset") }) {
                try CgroupV1.Cpuset.inheritParents(directory: cpuset.directory,
                                                   hierarchyRoot: cpuset.hierarchy.mountPoint, files: files)
            }
            try CgroupV1.apply(resources ?? Resources(), includeDevices: true, files: files, directory: directory(of:))
        } catch {
            // Leave nothing behind: the caller has no manager state to clean up with.
            tree.removeCreated(created)
            throw error
        }
        createdDirectories += created
    }

    public func add(pid: Int32) throws {
        let tree = CgroupTree(files: files)
        for placement in allPlacements {
            try BerthError.wrap("add process \(pid) to cgroup") { try tree.add(pid: pid, to: placement.directory) }
        }
    }

    public func apply(_ resources: Resources) throws {
        try CgroupV1.apply(resources, includeDevices: false, files: files, directory: directory(of:))
    }

    public func pids() throws -> [Int32] {
        guard let primary = primaryDirectory else { return [] }
        return try CgroupTree(files: files).pids(primary, recursive: true)
    }

    /// The hierarchy whose cgroup.procs lists the container's processes (runc asks devices).
    var primaryDirectory: String? {
        directory(of: "devices") ?? directory(of: "freezer") ?? placements.first?.directory ?? unified?.directory
    }

    public func destroy() throws {
        let tree = CgroupTree(files: files)
        let deadline = Deadline(milliseconds: 1000)
        var firstError: Error?
        for directory in Set(allPlacements.map(\.directory)).sorted() {
            do { try tree.remove(directory, deadline: deadline) } catch { firstError = firstError ?? error }
        }
        // Parents we made, deepest first; one still holding another container's cgroup stays.
        for directory in createdDirectories.reversed() {
            try? files.removeDirectory(directory)
        }
        if let firstError { throw firstError }
        createdDirectories = []
    }

    // MARK: - Freezer and signals

    func freezerDirectory() throws -> String {
        guard let directory = directory(of: "freezer") else {
            throw BerthError(.notFound, "freeze cgroup: the freezer controller is not mounted")
        }
        return directory
    }

    public func freeze() throws {
        try CgroupV1.Freezer.freeze(directory: freezerDirectory(), files: files)
    }

    public func thaw() throws {
        try CgroupV1.Freezer.thaw(directory: freezerDirectory(), files: files)
    }

    public func isFrozen() -> Bool {
        guard let directory = directory(of: "freezer"),
              let state = try? CgroupV1.Freezer.state(directory: directory, files: files) else { return false }
        return state != "THAWED"
    }

    public func killAll(signal: Int32) throws {
        // Frozen, nothing can fork a new process past the list of pids we read.
        let canFreeze = directory(of: "freezer") != nil
        let wasFrozen = isFrozen()
        if canFreeze && !wasFrozen { try freeze() }
        defer {
            // A frozen process cannot die: SIGKILL always thaws; other signals keep a pause.
            if canFreeze && (!wasFrozen || signal == SIGKILL) { try? thaw() }
        }
        try CgroupTree.signal(pids(), signal)
    }

    public func mountSources() -> [CgroupMountSource] {
        var result = placements.map {
            CgroupMountSource(name: $0.hierarchy.directoryName, hostPath: $0.directory,
                              fsType: "cgroup", options: $0.hierarchy.mountOptions)
        }
        if let unified {
            result.append(CgroupMountSource(name: unified.hierarchy.directoryName, hostPath: unified.directory,
                                            fsType: "cgroup2", options: ""))
        }
        return result
    }
}
