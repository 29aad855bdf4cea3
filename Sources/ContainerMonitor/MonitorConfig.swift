import Diagnostics
import LinuxSyscalls
import LiteJSON

/// What `berth-monitor` needs to run one container: written by the engine as JSON
/// (`<container dir>/monitor.json`) and read by the monitor at start-up.
public struct MonitorConfig: Codable, Sendable, Equatable {
    /// Berth's root: `ContainerStore(root:)` and `VolumeStore(root:)`.
    public var storeRoot: String
    /// The full 64-hex id (also the runtime's container id).
    public var containerID: String
    /// `<storeRoot>/containers/<id>`: the attach socket lives here.
    public var containerDirectory: String
    /// The OCI runtime executable.
    public var runtimePath: String
    /// The runtime's `--root`.
    public var runtimeRoot: String
    /// The runtime's `--log` (its errors are read back from it).
    public var runtimeLogPath: String
    /// The bundle (config.json; the rootfs is already mounted by the engine).
    public var bundle: String
    /// The runtime's `--pid-file`.
    public var pidFile: String
    /// `process.terminal`: pass `--console-socket` and hold the pty master.
    public var tty: Bool
    /// `-i`: the container's stdin is a pipe fed by attach clients (else /dev/null).
    public var openStdin: Bool
    /// docker's json-file log.
    public var logPath: String
    /// The log's rotation size in bytes; nil is unlimited.
    public var logMaxSize: Int64?
    /// How many log files rotation keeps.
    public var logMaxFiles: Int
    /// "no", "on-failure", "on-failure:N", "always" or "unless-stopped".
    public var restartPolicy: String
    /// Unmounted (umount2 MNT_DETACH) when the container stops for good.
    public var rootfsPath: String
    /// `--rm`: remove the container (record, directory, anonymous volumes) after the final exit.
    public var autoRemove: Bool
    /// Volume names removed with the container when `autoRemove`.
    public var anonymousVolumes: [String]
    /// Run (argv, no shell) once the container has stopped for good, before the root file
    /// system is unmounted: the engine's clean-up (its network), as conmon's --exit-command.
    public var exitCommand: [String]
    /// A network namespace the monitor removes (unmount + unlink) when the container stops for
    /// good (`--network none`: the engine's namespace with only lo, no exit command needed).
    public var networkNamespace: String?

    /// Memberwise.
    public init(storeRoot: String, containerID: String, containerDirectory: String, runtimePath: String,
                runtimeRoot: String, runtimeLogPath: String, bundle: String, pidFile: String, tty: Bool,
                openStdin: Bool, logPath: String, logMaxSize: Int64?, logMaxFiles: Int, restartPolicy: String,
                rootfsPath: String, autoRemove: Bool, anonymousVolumes: [String], exitCommand: [String] = [],
                networkNamespace: String? = nil) {
        self.storeRoot = storeRoot
        self.containerID = containerID
        self.containerDirectory = containerDirectory
        self.runtimePath = runtimePath
        self.runtimeRoot = runtimeRoot
        self.runtimeLogPath = runtimeLogPath
        self.bundle = bundle
        self.pidFile = pidFile
        self.tty = tty
        self.openStdin = openStdin
        self.logPath = logPath
        self.logMaxSize = logMaxSize
        self.logMaxFiles = logMaxFiles
        self.restartPolicy = restartPolicy
        self.rootfsPath = rootfsPath
        self.autoRemove = autoRemove
        self.anonymousVolumes = anonymousVolumes
        self.exitCommand = exitCommand
        self.networkNamespace = networkNamespace
    }
}

extension MonitorConfig {
    /// The config as JSON.
    public func encoded() throws -> [UInt8] {
        try BerthError.wrap("encode monitor config \(containerID)") { try LiteJSONEncoder().encode(self) }
    }

    /// Decodes a config.
    /// - Throws: `.invalidArgument` naming the bad field.
    public static func decode(_ bytes: [UInt8]) throws -> MonitorConfig {
        do {
            return try LiteJSONDecoder().decode(MonitorConfig.self, from: bytes)
        } catch {
            throw BerthError.invalid("monitor config: \(error)")
        }
    }

    /// Reads and decodes the config at `path`.
    public static func load(_ path: String) throws -> MonitorConfig {
        try BerthError.wrap("read monitor config \(path)") { try decode(Files.read(path, limit: 1 << 20)) }
    }

    /// Writes the config to `path` atomically (temp + rename, mode 0600).
    public func save(_ path: String) throws {
        try Files.writeAtomically(path, try encoded(), mode: 0o600)
    }
}
