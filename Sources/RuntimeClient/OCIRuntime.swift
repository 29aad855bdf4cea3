import Diagnostics

/// An OCI runtime binary (berth-runtime, runc, crun) driven through runc's command line, the way
/// podman's conmon and containerd's shim drive it (`/work/shared/clients/RUNTIME-CONTRACT.md`).
///
/// Every call spawns the runtime once with the global options in front of the subcommand:
/// `--root R [--log F --log-format json] [--systemd-cgroup] <subcommand> ...`. A non-zero exit
/// becomes a `BerthError` whose message is the runtime's own last error, prefixed with the
/// operation and the container id: "create web: exec: \"/x\": no such file or directory".
public struct OCIRuntime: Sendable {
    /// The runtime executable.
    public var path: String
    /// The runtime's state directory (`--root`).
    public var root: String
    /// The runtime's log file (`--log F --log-format json`); errors are read back from it.
    public var logPath: String?
    /// Passes `--systemd-cgroup` (off: cgroupfs paths, as podman and containerd use them here).
    public var systemdCgroup: Bool

    public init(path: String, root: String, logPath: String? = nil, systemdCgroup: Bool = false) {
        self.path = path
        self.root = root
        self.logPath = logPath
        self.systemdCgroup = systemdCgroup
    }

    /// The options every call starts with.
    var globalArguments: [String] {
        var arguments = ["--root", root]
        if let logPath { arguments += ["--log", logPath, "--log-format", "json"] }
        if systemdCgroup { arguments.append("--systemd-cgroup") }
        return arguments
    }

    /// Runs one subcommand; throws the runtime's error, prefixed with `context`, on failure.
    /// - Returns: the runtime's stdout (captured only when `stdio.output` is nil).
    @discardableResult
    func run(_ context: String, _ arguments: [String], stdio: RuntimeStdio = .init(),
             extraFiles: [Int32] = [], global: Bool = true) throws -> [UInt8] {
        let result = try invoke(arguments, stdio: stdio, extraFiles: extraFiles, global: global)
        guard result.status == 0 else { throw failure(context, result) }
        return result.stdout
    }

    /// Spawns the runtime and collects its exit status, output and any new log lines.
    func invoke(_ arguments: [String], stdio: RuntimeStdio, extraFiles: [Int32], global: Bool = true) throws -> RuntimeResult {
        let logStart = logPath.map(RuntimeErrorLog.size(of:)) ?? 0
        let argv = [path] + (global ? globalArguments : []) + arguments
        var result = try RuntimeProcess.run(argv, stdio: stdio, extraFiles: extraFiles)
        if let logPath { result.log = RuntimeErrorLog.read(logPath, from: logStart) }
        return result
    }

    /// The error for a failed call: the runtime's last error line, else its exit status.
    func failure(_ context: String, _ result: RuntimeResult) -> BerthError {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        let reason = RuntimeErrorLog.lastError(log: result.log, stderr: result.stderr, runtimeName: name)
            ?? "\(name) exited with status \(result.status)"
        // berth-runtime's own messages already start with "create <id>: ".
        let message = reason.hasPrefix("\(context): ") ? reason : "\(context): \(reason)"
        return BerthError(RuntimeErrorLog.code(for: reason), message)
    }
}
