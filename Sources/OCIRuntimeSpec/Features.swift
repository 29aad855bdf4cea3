/// What the runtime supports, as `features` prints it (runtime-spec `features.md`, modelled on
/// runc's output). Every field is optional: an absent field means "unknown", not "unsupported".
public struct Features: Codable, Sendable, Equatable {
    public var ociVersionMin: String?
    public var ociVersionMax: String?
    /// The hook names the runtime runs.
    public var hooks: [String]?
    /// The mount option words the mount code understands.
    public var mountOptions: [String]?
    public var linux: LinuxFeatures?
    public var annotations: [String: String]?

    public init(ociVersionMin: String? = nil, ociVersionMax: String? = nil, hooks: [String]? = nil,
                mountOptions: [String]? = nil, linux: LinuxFeatures? = nil, annotations: [String: String]? = nil) {
        self.ociVersionMin = ociVersionMin
        self.ociVersionMax = ociVersionMax
        self.hooks = hooks
        self.mountOptions = mountOptions
        self.linux = linux
        self.annotations = annotations
    }

    /// Berth's features.
    /// - Parameters:
    ///   - annotations: extra facts (runc puts its version and commit here).
    ///   - seccomp: what the seccomp implementation supports (it lives above this module).
    public static func berth(annotations: [String: String]? = nil, seccomp: SeccompFeatures = .init(enabled: false)) -> Features {
        Features(
            ociVersionMin: "1.0.0",
            ociVersionMax: Spec.version,
            hooks: ["prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop"],
            mountOptions: [
                "acl", "async", "atime", "bind", "defaults", "dev", "diratime", "dirsync", "exec", "iversion",
                "lazytime", "loud", "mand", "noacl", "noatime", "nodev", "nodiratime", "noexec", "noiversion",
                "nolazytime", "nomand", "norelatime", "nostrictatime", "nosuid", "nosymfollow", "private",
                "rbind", "relatime", "remount", "ro", "rprivate", "rshared", "rslave", "runbindable", "rw",
                "shared", "silent", "slave", "strictatime", "suid", "sync", "unbindable",
            ],
            linux: LinuxFeatures(
                namespaces: NamespaceType.allCases.map(\.rawValue).sorted(),
                capabilities: CapabilityName.all,
                cgroup: .init(v1: true, v2: true, systemd: false, rdma: true),
                seccomp: seccomp,
                apparmor: .init(enabled: false),
                selinux: .init(enabled: false),
                intelRdt: .init(enabled: false)),
            annotations: annotations)
    }
}

/// The `linux` part of `Features`.
public struct LinuxFeatures: Codable, Sendable, Equatable {
    /// Namespace types, as in `linux.namespaces[].type`.
    public var namespaces: [String]?
    /// Capability names, as in `process.capabilities`.
    public var capabilities: [String]?
    public var cgroup: CgroupFeatures?
    public var seccomp: SeccompFeatures?
    public var apparmor: EnabledFeature?
    public var selinux: EnabledFeature?
    public var intelRdt: EnabledFeature?
    public var mountExtensions: MountExtensions?

    public init(namespaces: [String]? = nil, capabilities: [String]? = nil, cgroup: CgroupFeatures? = nil,
                seccomp: SeccompFeatures? = nil, apparmor: EnabledFeature? = nil, selinux: EnabledFeature? = nil,
                intelRdt: EnabledFeature? = nil, mountExtensions: MountExtensions? = nil) {
        self.namespaces = namespaces
        self.capabilities = capabilities
        self.cgroup = cgroup
        self.seccomp = seccomp
        self.apparmor = apparmor
        self.selinux = selinux
        self.intelRdt = intelRdt
        self.mountExtensions = mountExtensions
    }
}

public struct CgroupFeatures: Codable, Sendable, Equatable {
    public var v1: Bool?
    public var v2: Bool?
    public var systemd: Bool?
    public var systemdUser: Bool?
    public var rdma: Bool?

    public init(v1: Bool? = nil, v2: Bool? = nil, systemd: Bool? = nil, systemdUser: Bool? = nil, rdma: Bool? = nil) {
        self.v1 = v1
        self.v2 = v2
        self.systemd = systemd
        self.systemdUser = systemdUser
        self.rdma = rdma
    }
}

public struct SeccompFeatures: Codable, Sendable, Equatable {
    public var enabled: Bool?
    public var actions: [String]?
    public var operators: [String]?
    public var archs: [String]?
    public var knownFlags: [String]?
    public var supportedFlags: [String]?

    public init(enabled: Bool? = nil, actions: [String]? = nil, operators: [String]? = nil, archs: [String]? = nil,
                knownFlags: [String]? = nil, supportedFlags: [String]? = nil) {
        self.enabled = enabled
        self.actions = actions
        self.operators = operators
        self.archs = archs
        self.knownFlags = knownFlags
        self.supportedFlags = supportedFlags
    }
}

/// `{"enabled": true}`: apparmor, selinux, intelRdt.
public struct EnabledFeature: Codable, Sendable, Equatable {
    public var enabled: Bool?

    public init(enabled: Bool? = nil) { self.enabled = enabled }
}

/// `linux.mountExtensions` (runtime-spec 1.2): `{"idmap": {"enabled": true}}`.
public struct MountExtensions: Codable, Sendable, Equatable {
    public var idmap: EnabledFeature?

    public init(idmap: EnabledFeature? = nil) { self.idmap = idmap }
}
