import Diagnostics
import EngineState
import ImageStore
import LinuxSyscalls
import LiteJSON
import Networking
import RuntimeClient

/// The container engine over one state root: the container and volume stores, the image store,
/// the OCI runtime and the monitor executable. One per command; holds no global state, so a
/// long-running server could keep one.
///
///     <root>/containers/<id>/   the record, and the bundle: config.json, rootfs/ (mounted while
///                               in use), upper/, work/, hosts, hostname, resolv.conf,
///                               <id>-json.log, monitor.json, attach (the monitor's socket)
///                               network.json (its namespace, addresses, published ports)
///     <root>/runtime/           the OCI runtime's --root
///     <root>/networks/          network definitions, CNI results and IP leases
///     <root>/netns/             containers' network namespaces (bind mounts)
public final class Engine: @unchecked Sendable {
    public let root: String
    public let containers: ContainerStore
    public let volumes: VolumeStore
    public let images: ImageStore
    /// Bridge networks (`ROOT/networks`).
    public let networks: NetworkStore
    /// The OCI runtime executable (berth-runtime, runc or crun).
    public let runtimePath: String
    /// The berth-monitor executable.
    public let monitorPath: String
    /// berth itself, which monitors run as their exit command (`berth container cleanup ID`).
    public var enginePath: String?

    public init(root: String, runtimePath: String, monitorPath: String) throws {
        containers = try ContainerStore(root: root)
        self.root = containers.root
        volumes = try VolumeStore(root: self.root)
        images = try ImageStore(root: self.root)
        networks = try NetworkStore(root: self.root)
        self.runtimePath = runtimePath
        self.monitorPath = monitorPath
    }

    /// The engine with the runtime and monitor found the usual way (see `RuntimeLocator`;
    /// `BERTH_MONITOR`, else berth-monitor next to berth, else in PATH).
    public static func located(root: String) throws -> Engine {
        let locator = RuntimeLocator.current()
        let engine = try Engine(root: root, runtimePath: try locator.locate(), monitorPath: try locateMonitor(locator))
        engine.enginePath = locator.executablePath
        return engine
    }

    static func locateMonitor(_ locator: RuntimeLocator) throws -> String {
        if let wanted = locator.environment["BERTH_MONITOR"], !wanted.isEmpty {
            guard RuntimeLocator.isExecutable(wanted) else {
                throw BerthError(.notFound, "find monitor: BERTH_MONITOR=\(wanted) is not an executable file")
            }
            return Files.absolute(wanted)
        }
        if let executable = locator.executablePath, let slash = executable.lastIndex(of: "/") {
            let candidate = String(executable[..<slash]) + "/berth-monitor"
            if RuntimeLocator.isExecutable(candidate) { return candidate }
        }
        let path = locator.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") where RuntimeLocator.isExecutable("\(directory)/berth-monitor") {
            return "\(directory)/berth-monitor"
        }
        throw BerthError(.notFound, "find monitor: no berth-monitor next to berth or in PATH; set BERTH_MONITOR to its path")
    }

    // MARK: - Paths

    public func directory(_ id: String) -> String { "\(root)/containers/\(id)" }
    func rootfsPath(_ id: String) -> String { "\(directory(id))/rootfs" }
    public func logPath(_ id: String) -> String { "\(directory(id))/\(id)-json.log" }
    var runtimeRoot: String { "\(root)/runtime" }

    /// The cgroup every container's cgroup is made under: `$BERTH_CGROUP_PARENT`, else "berth"
    /// (docker's is "docker"): `/<parent>/<id>` in each hierarchy.
    var cgroupParent: String {
        let wanted = getenvString("BERTH_CGROUP_PARENT") ?? ""
        return wanted.isEmpty ? "berth" : wanted.split(separator: "/").joined(separator: "/")
    }

    /// The runtime, its --log in the container's directory.
    func runtime(for id: String) -> OCIRuntime {
        OCIRuntime(path: runtimePath, root: runtimeRoot, logPath: "\(directory(id))/runtime.log")
    }

    // MARK: - Settings

    /// The settings `create` stored in the record.
    public func settings(of record: ContainerRecord) throws -> ContainerSettings {
        do {
            return try LiteJSONDecoder().decode(ContainerSettings.self, from: record.config)
        } catch {
            throw BerthError(.internalError, "container \(record.name): its stored settings cannot be read: \(error)")
        }
    }
}
