import Cgroups
import OCIRuntimeSpec

/// Everything the init needs beyond config.json, sent by the runtime in the bootstrap message.
public struct InitBootstrap: Codable, Sendable {
    public var id: String
    public var bundle: String
    /// `root.path` resolved against the bundle: an absolute host path.
    public var rootfs: String
    /// The bytes of config.json, as the runtime read and validated them.
    public var config: String
    public var noPivot: Bool
    public var noNewKeyring: Bool
    /// fds 3 ..< 3+preserveFds stay open in the container process (`--preserve-fds`).
    public var preserveFds: Int
    /// A connected console socket is passed along with this message.
    public var hasConsoleSocket: Bool
    public var inUserNamespace: Bool
    /// A new cgroup namespace: the init unshares it after joining its cgroups, so that the
    /// namespace is rooted at the container's cgroup.
    public var cgroupNamespace: Bool
    public var cgroupMounts: [CgroupMountSource]
    /// The state the hooks get on stdin (status "creating"/"created", the init's host pid).
    public var state: State
    /// The exec fifo's descriptor in the init (see `Container+Start`).
    public var fifoFD: Int32
    /// For `exec`: the JSON of the process to run in the running container (config.json's
    /// `process` is then only where seccomp and the like come from).
    public var execProcess: String?
    /// A `seccomp` message with the compiled filter follows the bootstrap.
    public var hasSeccomp: Bool

    public init(id: String, bundle: String, rootfs: String, config: String, noPivot: Bool,
                noNewKeyring: Bool, preserveFds: Int, hasConsoleSocket: Bool, inUserNamespace: Bool,
                cgroupNamespace: Bool, cgroupMounts: [CgroupMountSource], state: State, fifoFD: Int32) {
        self.id = id
        self.bundle = bundle
        self.rootfs = rootfs
        self.config = config
        self.noPivot = noPivot
        self.noNewKeyring = noNewKeyring
        self.preserveFds = preserveFds
        self.hasConsoleSocket = hasConsoleSocket
        self.inUserNamespace = inUserNamespace
        self.cgroupNamespace = cgroupNamespace
        self.cgroupMounts = cgroupMounts
        self.state = state
        self.fifoFD = fifoFD
        self.execProcess = nil
        self.hasSeccomp = false
    }
}
