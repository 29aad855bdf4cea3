/// The container status of the runtime-spec state.
public enum ContainerStatus: String, Codable, Sendable, Equatable {
    case creating, created, running, paused, stopped
}

/// The runtime-spec state, as `state` prints it and hooks read it on stdin.
/// `rootfs`, `created` and `owner` are runc's additions, which podman and containerd expect.
public struct State: Codable, Sendable, Equatable {
    public var ociVersion: String
    public var id: String
    public var pid: Int32
    public var status: ContainerStatus
    public var bundle: String
    public var rootfs: String?
    public var created: String?
    public var annotations: [String: String]?
    public var owner: String?

    public init(ociVersion: String = Spec.version, id: String, pid: Int32, status: ContainerStatus,
                bundle: String, rootfs: String? = nil, created: String? = nil,
                annotations: [String: String]? = nil, owner: String? = nil) {
        self.ociVersion = ociVersion
        self.id = id
        self.pid = pid
        self.status = status
        self.bundle = bundle
        self.rootfs = rootfs
        self.created = created
        self.annotations = annotations
        self.owner = owner
    }
}
