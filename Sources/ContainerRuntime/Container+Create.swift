import Cgroups
import ContainerInit
import Diagnostics
import LinuxSyscalls
import OCIRuntimeSpec

#if canImport(Glibc)
import Glibc
#endif

/// What `create` (and `run`) take besides the id.
public struct CreateOptions: Sendable {
    public var bundle: String
    public var pidFile: String?
    public var consoleSocket: String?
    public var noPivot: Bool
    public var noNewKeyring: Bool
    public var preserveFds: Int
    /// `run` in the foreground with `process.terminal` and no console socket: the runtime makes
    /// the pty itself and relays it to its own stdio, as `runc run` does.
    var ownTerminal = false

    public init(bundle: String = ".", pidFile: String? = nil, consoleSocket: String? = nil,
                noPivot: Bool = false, noNewKeyring: Bool = false, preserveFds: Int = 0) {
        self.bundle = bundle
        self.pidFile = pidFile
        self.consoleSocket = consoleSocket
        self.noPivot = noPivot
        self.noNewKeyring = noNewKeyring
        self.preserveFds = preserveFds
    }
}

extension Container {
    /// Creates container `id` from the bundle: everything is set up and the init waits for `start`.
    /// On any failure nothing is left: no state directory, cgroup or process.
    /// - Throws: `BerthError` with the failing step ("load config.json: ...", "set up rootfs: ...").
    public static func create(id: String, _ create: CreateOptions, options: RuntimeOptions) throws -> Container {
        try ContainerID.validate(id)
        guard create.preserveFds >= 0 else { throw BerthError.invalid("--preserve-fds must not be negative") }
        let bundle = Files.absolute(create.bundle)
        let configPath = "\(bundle)/config.json"
        let configBytes = try BerthError.wrap("load config.json") { try Files.read(configPath, limit: 32 << 20) }
        let spec = try Spec.decode(configBytes)
        try spec.validate(isHostNetworkNamespace: NamespacePlan.isHostNetworkNamespace)
        guard let rootPath = spec.root?.path else { throw BerthError.invalid("config.json: root.path: missing") }
        let rootfs = Files.normalize(rootPath.hasPrefix("/") ? rootPath : "\(bundle)/\(rootPath)")
        guard Files.isDirectory(rootfs) else {
            throw BerthError(.notFound, "rootfs \(rootfs) does not exist or is not a directory")
        }
        try SecurityModules.check(process: spec.process, spec: spec)
        let wantsTerminal = spec.process?.terminal == true
        if wantsTerminal && create.consoleSocket == nil && !create.ownTerminal {
            throw BerthError.invalid("process.terminal is true: --console-socket is required")
        }

        try Files.makeDirectories(options.root, mode: 0o700)
        let directory = "\(options.root)/\(id)"
        if mkdir(directory, 0o711) != 0 {
            if errno == EEXIST { throw BerthError(.alreadyExists, "container \(id) already exists") }
            throw BerthError.system("mkdir", path: directory)
        }
        var cgroup: (any CgroupManager)?
        do {
            let lock = try FileDescriptor.open(directory, O_RDONLY | O_DIRECTORY)
            try syscall("lock", path: directory) { flock(lock.rawValue, LOCK_EX) }
            let cgroupsPath = CgroupPaths.containerPath(spec.linux?.cgroupsPath, id: id, systemd: options.systemdCgroup)
            let manager = try BerthError.wrap("set up cgroup \(cgroupsPath)") {
                try CgroupPaths.manager(cgroupsPath: cgroupsPath, id: id)
            }
            cgroup = manager

            let created = Timestamp.now().rfc3339()
            let namespaces = spec.linux?.namespaces ?? []
            let state = State(id: id, pid: 0, status: .creating, bundle: bundle, rootfs: rootfs,
                              created: created, annotations: spec.annotations, owner: "")
            let fifo = try makeExecFifo(in: directory)
            let (console, terminalPeer) = try ConsoleTarget.make(socketPath: create.consoleSocket, terminal: wantsTerminal)
            let bootstrap = InitBootstrap(
                id: id, bundle: bundle, rootfs: rootfs, config: String(decoding: configBytes, as: UTF8.self),
                noPivot: create.noPivot, noNewKeyring: create.noNewKeyring, preserveFds: create.preserveFds,
                hasConsoleSocket: console != nil,
                inUserNamespace: namespaces.contains { $0.type == .user },
                cgroupNamespace: namespaces.contains { $0.type == .cgroup && ($0.path ?? "").isEmpty },
                cgroupMounts: manager.mountSources(),
                state: state, fifoFD: -1)
            let resources = spec.linux?.resources
            let launcher = InitLauncher(spec: spec, bootstrap: bootstrap, namespaces: try NamespacePlan(spec: spec),
                                        cgroup: manager,
                                        createCgroup: {
                                            try BerthError.wrap("set up cgroup \(cgroupsPath)") { try manager.create(resources: resources) }
                                        },
                                        console: console, fifo: fifo,
                                        compileSeccomp: { try spec.linux?.seccomp.map { try SeccompCache.compiled($0, root: options.root) } })
            let pid = try launcher.launch()
            do {
                guard let startTime = Processes.startTime(pid) else {
                    throw BerthError(.internalError, "container init \(pid) exited during create")
                }
                let record = ContainerRecord(
                    id: id, bundle: bundle, rootfs: rootfs, pid: pid, pidStartTime: startTime,
                    created: created, annotations: spec.annotations, owner: "root", hooks: spec.hooks,
                    cgroupsPath: cgroupsPath, cgroupPaths: manager.paths,
                    ownPidNamespace: namespaces.contains { $0.type == .pid && ($0.path ?? "").isEmpty })
                try record.save(in: directory)
                if let pidFile = create.pidFile { try writePidFile(pidFile, pid: pid) }
                let container = Container(id: id, directory: directory, record: record, lock: lock)
                if let terminalPeer { container.terminalMaster = try UnixSocket.receiveDescriptor(terminalPeer) }
                return container
            } catch {
                Glibc.kill(pid, SIGKILL)
                _ = try? Processes.wait(pid)
                throw error
            }
        } catch let error as BerthError {
            try? cgroup?.destroy()
            try? Files.removeTree(directory)
            throw error
        }
    }

    /// `exec.fifo`: the init blocks reading it until `start` writes a byte. The runtime opens it
    /// read-write so that opening never blocks; the init inherits that descriptor.
    static func makeExecFifo(in directory: String) throws -> FileDescriptor {
        let path = "\(directory)/exec.fifo"
        try syscall("mkfifo", path: path) { mkfifo(path, 0o600) }
        return try FileDescriptor.open(path, O_RDWR)
    }

    /// The pid file: the bare decimal pid, no newline (containerd's shim parses it strictly),
    /// written atomically.
    static func writePidFile(_ path: String, pid: Int32) throws {
        try BerthError.wrap("write pid file") {
            try Files.writeAtomically(Files.absolute(path), Array(String(pid).utf8), mode: 0o644)
        }
    }
}
