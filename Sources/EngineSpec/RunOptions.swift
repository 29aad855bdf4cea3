/// The flags of `berth run` / `berth create`, as the CLI read them: raw strings where docker
/// parses a value, so `SpecBuilder` reports a bad value with the flag that carried it.
public struct RunOptions: Codable, Sendable, Equatable {
    public var interactive = false
    public var tty = false
    /// `-e NAME=value` or `-e NAME` (the value comes from the caller's environment).
    public var env: [String] = []
    /// `--env-file` paths; the caller reads them and passes their contents in `ResolvedInputs`.
    public var envFiles: [String] = []
    public var workdir: String?
    public var user: String?
    public var hostname: String?
    /// `--entrypoint`; an empty string clears the image's entrypoint.
    public var entrypoint: String?
    /// The arguments after the image name.
    public var command: [String] = []
    /// `-v/--volume` specs.
    public var volumes: [String] = []
    /// `--mount` specs.
    public var mounts: [String] = []
    /// `--tmpfs` specs (`/run:rw,size=64m`).
    public var tmpfs: [String] = []
    public var readOnly = false
    /// `-m/--memory` ("512m").
    public var memory: String?
    /// `--memory-swap` ("1g", or "-1" for unlimited).
    public var memorySwap: String?
    /// `--cpus` ("1.5").
    public var cpus: String?
    public var cpuShares: UInt64?
    public var cpusetCpus: String?
    public var pidsLimit: Int64?
    /// `--ulimit nofile=1024:2048`.
    public var ulimits: [String] = []
    public var capAdd: [String] = []
    public var capDrop: [String] = []
    public var privileged = false
    public var securityOpts: [String] = []
    /// `--label key=value` (or `key`, an empty value).
    public var labels: [String] = []
    public var stopSignal: String?
    public var stopTimeout: Int?
    /// `--init`.
    public var initProcess = false
    /// `--network`: "bridge" (docker's default network), a network's name, "none", "host" or
    /// "container:NAME".
    public var network = "bridge"
    /// `--network-alias`: more names peers on user-defined networks resolve to this container.
    public var networkAliases: [String] = []
    /// `--ip`: the address on the (user-defined) network.
    public var ip: String?
    /// `-p/--publish` specs (`127.0.0.1:8080:80/tcp`).
    public var publish: [String] = []
    /// `-P/--publish-all`: every port the image exposes, on a free host port.
    public var publishAll = false
    /// `--dns`, `--dns-search`, `--dns-option`: what /etc/resolv.conf says instead of the host's.
    public var dns: [String] = []
    public var dnsSearch: [String] = []
    public var dnsOptions: [String] = []
    /// `--add-host name:ip`.
    public var addHosts: [String] = []

    public init() {}
}
