import Diagnostics
import EngineSpec
import EngineState
import LinuxSyscalls
import LiteJSON
import OCIRuntimeSpec
import RuntimeClient

#if canImport(Glibc)
import Glibc
#endif

/// `berth exec`'s flags.
public struct ExecRequest: Sendable {
    public var command: [String]
    public var interactive = false
    public var tty = false
    public var detach = false
    /// `-e NAME=value` (or `NAME`, from the caller's environment).
    public var env: [String] = []
    public var user: String?
    public var workdir: String?
    public var privileged = false

    public init(command: [String]) { self.command = command }
}

/// A process ready to exec into a running container: its process.json and the runtime to run it.
public struct PreparedExec: Sendable {
    public let record: ContainerRecord
    public let runtime: OCIRuntime
    public let processPath: String

    /// Removes process.json.
    public func cleanUp() { try? Files.removeFile(processPath) }
}

extension Engine {
    /// Writes the process `berth exec` runs: the container's own process (capabilities, rlimits,
    /// no-new-privileges, AppArmor/SELinux labels) with the command, user, directory, terminal and
    /// extra environment of the request.
    /// - Throws: `.invalidState` "container X is not running" / "... is paused".
    public func prepareExec(_ idOrName: String, _ request: ExecRequest, callerEnvironment: [String: String]) throws -> PreparedExec {
        let record = try container(idOrName)
        guard record.state != .paused else {
            throw BerthError(.invalidState, "container \(record.name) is paused, unpause the container before exec")
        }
        guard record.state == .running else { throw BerthError(.invalidState, "container \(record.name) is not running") }
        guard !request.command.isEmpty else { throw BerthError.invalid("exec: no command specified") }
        let dir = directory(record.id)
        let spec = try BerthError.wrap("exec in container \(record.name)") { try Spec.decode(Files.read("\(dir)/config.json")) }
        guard var process = spec.process else { throw BerthError(.internalError, "container \(record.name) has no process") }
        process.args = request.command
        process.terminal = request.tty
        process.consoleSize = nil
        var env = process.env ?? []
        if request.tty && !env.contains(where: { $0.hasPrefix("TERM=") }) { env.append("TERM=xterm") }
        for entry in request.env {
            guard let resolved = try EnvFile.entry(entry, environment: callerEnvironment) else { continue }
            let key = resolved.prefix { $0 != "=" }
            if let index = env.firstIndex(where: { $0.prefix { $0 != "=" } == key }) { env[index] = resolved } else { env.append(resolved) }
        }
        process.env = env
        if let user = request.user {
            let rootfs = rootfsPath(record.id)
            process.user = try UserResolver.resolve(user, passwd: try? RootfsFile.readString(rootfs, "/etc/passwd"),
                                                    group: try? RootfsFile.readString(rootfs, "/etc/group"))
            process.user.username = nil
        }
        if let workdir = request.workdir {
            guard workdir.hasPrefix("/") else {
                throw BerthError.invalid("the working directory '\(workdir)' is invalid, it needs to be an absolute path")
            }
            process.cwd = workdir
        }
        if request.privileged, let all = process.capabilities?.bounding {
            process.capabilities = Capabilities(bounding: all, effective: all, permitted: all)
        }
        let path = "\(dir)/exec-\(Self.newVolumeName().prefix(16)).json"
        try Files.writeAtomically(path, try LiteJSONEncoder().encode(process), mode: 0o600)
        return PreparedExec(record: record, runtime: runtime(for: record.id), processPath: path)
    }
}
