import OCIRuntimeSpec

/// What `SpecBuilder` needs that takes I/O to find; the engine fills it before building.
public struct ResolvedInputs: Sendable, Equatable {
    /// The container's root file system (the overlay mount point).
    public var rootfsPath: String
    /// `/berth/<id>`.
    public var cgroupsPath: String?
    /// The hostname when `--hostname` is not given (docker: the first 12 characters of the id).
    public var defaultHostname: String
    /// uid, gid and additional gids of `-u` or the image's user; see `UserResolver`.
    public var user: User
    /// Host paths of the per-container files the engine writes (see `EtcFiles`).
    public var hostsPath: String?
    public var hostnamePath: String?
    public var resolvConfPath: String?
    /// Host directories of named (and anonymous) volumes, by volume name.
    public var volumePaths: [String: String] = [:]
    /// The content of the `seccomp=FILE` profile.
    public var seccompProfile: [UInt8]?
    /// The contents of the `--env-file` files, in flag order.
    public var envFileContents: [String] = []
    /// The caller's environment, for `-e NAME` and env-file lines without `=`.
    public var callerEnvironment: [String: String] = [:]
    /// The host path of the init binary `--init` binds at `/sbin/init-berth`.
    public var initPath: String?
    /// The network namespace to join (a bind-mounted netns, or another container's); nil gives
    /// the container a new, empty one (or none with `--network host`).
    public var networkNamespacePath: String?
    /// Raise RLIMIT_NOFILE to docker's 1048576; otherwise runc's default (1024) stays.
    public var raiseNofileLimit = false

    public init(rootfsPath: String, defaultHostname: String, user: User = User(uid: 0, gid: 0)) {
        self.rootfsPath = rootfsPath
        self.defaultHostname = defaultHostname
        self.user = user
    }
}
