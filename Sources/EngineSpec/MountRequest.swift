/// A mount the user asked for with `-v`, `--mount` or `--tmpfs`, before the engine resolves
/// named volumes to host paths.
public struct MountRequest: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable {
        case bind, volume, tmpfs
    }

    public var kind: Kind
    /// The host path (bind), the volume name (volume; nil for an anonymous volume), nil (tmpfs).
    public var source: String?
    public var destination: String
    public var readOnly: Bool
    /// Mount options besides "ro"/"rw": propagation ("rprivate"), tmpfs data ("size=67108864",
    /// "mode=1777"), "nocopy", SELinux "z"/"Z".
    public var options: [String]

    public init(kind: Kind, source: String?, destination: String, readOnly: Bool = false, options: [String] = []) {
        self.kind = kind
        self.source = source
        self.destination = destination
        self.readOnly = readOnly
        self.options = options
    }
}
