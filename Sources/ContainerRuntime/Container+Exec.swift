import ContainerInit
import Diagnostics
import LinuxSyscalls
import LiteJSON
import OCIRuntimeSpec

#if canImport(Glibc)
import Glibc
#endif

/// What `exec` takes besides the container.
public struct ExecOptions: Sendable {
    /// The process to run, complete (from `--process` or built from config.json and the flags).
    public var process: Process
    public var consoleSocket: String?
    public var pidFile: String?
    public var detach: Bool
    public var preserveFds: Int

    public init(process: Process, consoleSocket: String? = nil, pidFile: String? = nil,
                detach: Bool = false, preserveFds: Int = 0) {
        self.process = process
        self.consoleSocket = consoleSocket
        self.pidFile = pidFile
        self.detach = detach
        self.preserveFds = preserveFds
    }
}

extension Container {
    /// The container's config.json, as its bundle holds it now.
    public func loadSpec() throws -> (Spec, [UInt8]) {
        let bytes = try BerthError.wrap("load config.json") { try Files.read("\(record.bundle)/config.json", limit: 32 << 20) }
        return (try Spec.decode(bytes), bytes)
    }

    /// Runs a new process in the running container: in all its namespaces (user and mount
    /// included) and its cgroups, with the process's own identity, capabilities and rlimits.
    /// Returns 0 once it started (`detach`), else its exit code when it ends.
    /// - Throws: `.invalidState` when the container is not running.
    public func exec(_ exec: ExecOptions, options: RuntimeOptions) throws -> Int32 {
        let status = self.status
        guard status == .running || status == .created else {
            throw BerthError(.invalidState, "cannot exec in a \(status.rawValue) container")
        }
        guard let args = exec.process.args, !args.isEmpty else { throw BerthError.invalid("process.args: must not be empty") }
        guard exec.preserveFds >= 0 else { throw BerthError.invalid("--preserve-fds must not be negative") }
        let terminal = exec.process.terminal == true
        if terminal && exec.detach && exec.consoleSocket == nil {
            throw BerthError.invalid("cannot allocate a terminal for a detached process without --console-socket")
        }
        let (spec, configBytes) = try loadSpec()
        try SecurityModules.check(process: exec.process, spec: spec)
        let namespaces = try NamespacePlan(joining: record.pid)
        // The descriptors pin the namespaces; now make sure they were the container's.
        guard Processes.isAlive(record.pid, startTime: record.pidStartTime) else {
            throw BerthError(.invalidState, "container \(id) is not running")
        }
        let manager = try BerthError.wrap("load cgroup") { try CgroupPaths.manager(for: record) }
        let (console, terminalPeer) = try ConsoleTarget.make(socketPath: exec.consoleSocket, terminal: terminal)
        var bootstrap = InitBootstrap(
            id: id, bundle: record.bundle, rootfs: record.rootfs, config: String(decoding: configBytes, as: UTF8.self),
            noPivot: false, noNewKeyring: true, preserveFds: exec.preserveFds, hasConsoleSocket: console != nil,
            inUserNamespace: namespaces.inUserNamespace, cgroupNamespace: false, cgroupMounts: [],
            state: state, fifoFD: -1)
        bootstrap.execProcess = String(decoding: try LiteJSONEncoder().encode(exec.process), as: UTF8.self)
        var execSpec = spec
        execSpec.process = exec.process
        let launcher = InitLauncher(spec: execSpec, bootstrap: bootstrap, namespaces: namespaces, cgroup: manager,
                                    createCgroup: nil, console: console, fifo: nil,
                                    compileSeccomp: { try spec.linux?.seccomp.map { try SeccompCache.compiled($0, root: options.root) } })
        let pid = try launcher.launch()
        let master = try terminalPeer.map { try UnixSocket.receiveDescriptor($0) }
        do {
            if let pidFile = exec.pidFile { try Container.writePidFile(pidFile, pid: pid) }
        } catch {
            Glibc.kill(pid, SIGKILL)
            _ = try? Processes.wait(pid)
            throw error
        }
        if exec.detach { return 0 }
        return Processes.exitCode(fromWaitStatus: try Container.waitForwardingSignals(pid, terminal: master))
    }
}
