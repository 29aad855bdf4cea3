/// The runtime's global options (`berth-runtime --root DIR --systemd-cgroup ...`).
public struct RuntimeOptions: Sendable {
    /// Where container state lives: `<root>/<id>/state.json` and `exec.fifo`.
    public var root: String
    /// `--systemd-cgroup`: cgroupsPath is "slice:prefix:name" (mapped onto cgroupfs).
    public var systemdCgroup: Bool
    /// Where warnings go (a failing poststart or poststop hook does not fail the command).
    public var warn: @Sendable (String) -> Void

    public static let defaultRoot = "/run/berth-runtime"

    public init(root: String = RuntimeOptions.defaultRoot, systemdCgroup: Bool = false,
                warn: @escaping @Sendable (String) -> Void = { _ in }) {
        self.root = root
        self.systemdCgroup = systemdCgroup
        self.warn = warn
    }
}
