import EngineSpec

/// What `create` decided about a container, kept in its record (`ContainerRecord.config`) so that
/// every later `start` builds the same bundle: the flags with the caller's environment and env
/// files already folded in, and the volumes the container's mounts resolve to.
public struct ContainerSettings: Codable, Sendable, Equatable {
    /// The flags, self-contained: `-e NAME` and `--env-file` are resolved into `env` at create.
    public var options: RunOptions
    /// `--restart`, as given ("no" by default).
    public var restartPolicy: String
    /// `--rm`.
    public var autoRemove: Bool
    /// `--log-opt key=value`.
    public var logOptions: [String]
    /// Volume name by mount key: a named volume's name, or the destination of an anonymous one.
    public var volumes: [String: String]
    /// Volumes made for this container alone (`-v /dst`, the image's VOLUMEs): `rm -v` and `--rm` remove them.
    public var anonymousVolumes: [String]
    /// The process as `create` resolved it (docker's Path/Args, Config.Env, WorkingDir, User).
    public var path: String
    public var args: [String]
    public var env: [String]
    public var workingDir: String
    public var user: String
    public var hostname: String
    /// The signal `stop` sends (`--stop-signal`, the image's StopSignal, SIGTERM).
    public var stopSignal: String
    /// Seconds `stop` waits before SIGKILL (`--stop-timeout`, 10).
    public var stopTimeout: Int
    /// The image's config digest and the manifest it came from.
    public var imageManifest: String
    /// The bridge networks it joins, in interface order (`--network NAME`, `network connect`).
    public var networks: [String]

    public init(options: RunOptions, restartPolicy: String = "no", autoRemove: Bool = false, logOptions: [String] = [],
                volumes: [String: String] = [:], anonymousVolumes: [String] = [], path: String = "", args: [String] = [],
                env: [String] = [], workingDir: String = "/", user: String = "", hostname: String = "",
                stopSignal: String = "SIGTERM", stopTimeout: Int = 10, imageManifest: String = "",
                networks: [String] = []) {
        self.options = options
        self.restartPolicy = restartPolicy
        self.autoRemove = autoRemove
        self.logOptions = logOptions
        self.volumes = volumes
        self.anonymousVolumes = anonymousVolumes
        self.path = path
        self.args = args
        self.env = env
        self.workingDir = workingDir
        self.user = user
        self.hostname = hostname
        self.stopSignal = stopSignal
        self.stopTimeout = stopTimeout
        self.imageManifest = imageManifest
        self.networks = networks
    }
}
