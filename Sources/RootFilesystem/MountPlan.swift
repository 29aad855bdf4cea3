import Diagnostics
import LinuxSyscalls
import OCIRuntimeSpec

/// The whole rootfs setup as data: what `RootfsSetup` does, decided from the config alone, so
/// that tests can check it without root.
public struct MountPlan: Sendable, Equatable {
    /// Propagation given to "/" before anything else, so nothing we mount reaches the host:
    /// MS_SLAVE|MS_REC unless `linux.rootfsPropagation` says otherwise (runc's prepareRoot).
    public var rootPropagation: MountFlags
    /// Make the mount holding the rootfs private first: pivot_root refuses a shared parent, and
    /// the rootfs bind must not propagate. Not needed when "/" was made rslave/rprivate.
    public var privatizeRootfsParent: Bool
    /// Spec mounts, in order.
    public var steps: [MountStep]
    /// Create device nodes and /dev links: false when /dev is a bind mount (of the host's /dev).
    public var setsUpDev: Bool
    /// `linux.devices` plus the defaults.
    public var devices: [DeviceNode]
    /// A proc file system is mounted at /proc: after pivot_root, mounts can still target
    /// /proc/self/fd/N; without one, paths are used (they resolve inside the new root anyway).
    public var mountsProc: Bool
    /// What `finalize` does after pivot_root.
    public var finalization: Finalization

    /// The steps that run after pivot_root (runc's finalizeRootfs, readonlyPath, maskPath).
    public struct Finalization: Sendable, Equatable {
        /// tmpfs (and /dev) mounts asked "ro": mounted read-write so /dev can be filled, then
        /// remounted read-only (MS_REMOUNT) here.
        public var readOnlyRemounts: [Remount] = []
        /// `root.readonly`.
        public var readOnlyRoot = false
        public var readonlyPaths: [String] = []
        public var maskedPaths: [String] = []
        /// `linux.rootfsPropagation`, applied to the new "/" last.
        public var rootPropagation: MountFlags?
    }

    /// A remount (MS_REMOUNT) of the mount at `destination` with `flags`.
    public struct Remount: Sendable, Equatable {
        public var destination: String
        public var flags: MountFlags

        public init(destination: String, flags: MountFlags) {
            self.destination = destination
            self.flags = flags
        }
    }

    /// Plans `config`.
    /// - Throws: `invalidArgument` for unknown propagation, unsupported options, mounts inside
    ///   /proc, bad devices; the message names the mount's destination.
    public init(_ config: RootfsConfig) throws {
        let spec = config.spec
        let linux = spec.linux
        finalization = Finalization()
        if let name = linux?.rootfsPropagation, !name.isEmpty {
            let flags = try MountOptions.propagation(name)
            rootPropagation = flags
            finalization.rootPropagation = flags
        } else {
            rootPropagation = [.slave, .recursive]
        }
        privatizeRootfsParent = !rootPropagation.contains(.recursive) || rootPropagation.contains(.shared)

        steps = []
        devices = []
        setsUpDev = true
        mountsProc = false
        for mount in spec.mounts ?? [] {
            let destination = Self.normalize(mount.destination)
            do {
                let options = try MountOptions(parsing: mount.options ?? [])
                let type = mount.type ?? ""
                let isBind = options.isBind || type == "bind"
                try Self.checkProcDestination(destination, type: type, isBind: isBind)
                if isBind {
                    if destination == "/dev" { setsUpDev = false }
                    steps.append(.mount(.bind(source: mount.source ?? "", destination: destination, options: options,
                                              recursive: options.flags.contains(.recursive))))
                    continue
                }
                if type == "proc" && destination == "/proc" { mountsProc = true }
                steps += try planMount(mount, type: type, destination: destination, options: options, config: config)
            } catch let error as BerthError {
                throw error.context("mount \(destination)")
            }
        }
        devices = setsUpDev ? try DeviceNode.plan(linux?.devices) : []
        finalization.readOnlyRoot = spec.root?.readonly ?? false
        finalization.readonlyPaths = (linux?.readonlyPaths ?? []).map(Self.normalize)
        finalization.maskedPaths = (linux?.maskedPaths ?? []).map(Self.normalize)
    }

    /// A non-bind mount.
    private mutating func planMount(_ mount: Mount, type: String, destination: String, options: MountOptions,
                                    config: RootfsConfig) throws -> [MountStep] {
        switch type {
        case "cgroup", "cgroup2":
            return Self.cgroupSteps(type: type, destination: destination, options: options, config: config)
        case "sysfs" where config.inUserNamespace:
            // A user namespace may mount sysfs only if it owns the network namespace; otherwise
            // runc binds the host's /sys (read-only all the way down when "ro").
            let hostSys = MountOperation.bind(
                source: "/sys", destination: destination, options: options, recursive: true, target: .directoryNoFollow)
            var withRecursiveReadOnly = hostSys
            withRecursiveReadOnly.recursiveReadOnly = options.flags.contains(.readOnly)
            let ownsNetwork = config.spec.linux?.namespaces?.contains { $0.type == .network } ?? false
            if !ownsNetwork { return [.mount(withRecursiveReadOnly)] }
            var sysfs = Self.plainMount(mount, type: type, destination: destination, options: options)
            sysfs.fallback = [withRecursiveReadOnly]
            return [.mount(sysfs)]
        default:
            var operation = Self.plainMount(mount, type: type, destination: destination, options: options)
            // runc's mountPropagate: /dev and tmpfs mounts are filled after mounting, so "ro"
            // waits until finalize.
            if operation.flags.contains(.readOnly) && (type == "tmpfs" || destination == "/dev") {
                operation.flags.remove(.readOnly)
                let flags = options.flags.subtracting([.bind, .recursive]).union(.remount)
                finalization.readOnlyRemounts.append(Remount(destination: destination, flags: flags))
            }
            return [.mount(operation)]
        }
    }

    static func plainMount(_ mount: Mount, type: String, destination: String, options: MountOptions) -> MountOperation {
        var operation = MountOperation(
            source: mount.source ?? type, destination: destination, fsType: type, flags: options.flags,
            data: options.dataString,
            target: type == "proc" || type == "sysfs" ? .directoryNoFollow : .directory,
            clearedFlags: options.clearedFlags, propagation: options.propagation,
            keepsDirectoryMode: type == "tmpfs" && !options.data.contains { $0.hasPrefix("mode=") })
        operation.copyUp = options.copyUp && type == "tmpfs"
        return operation
    }

    // MARK: - Checks

    /// runc's checkProcMount: only a proc file system may be mounted on /proc, and inside it only
    /// the files lxcfs emulates. Anything else could hide or fake what the runtime writes there.
    static func checkProcDestination(_ destination: String, type: String, isBind: Bool) throws {
        guard destination == "/proc" || destination.hasPrefix("/proc/") else { return }
        if destination == "/proc" {
            if type == "proc" && !isBind { return }
            throw BerthError.invalid("only a proc file system may be mounted on /proc")
        }
        if lxcfsFiles.contains(destination) { return }
        throw BerthError.invalid("mounts inside /proc are not allowed")
    }

    static let lxcfsFiles: Set<String> = [
        "/proc/cpuinfo", "/proc/diskstats", "/proc/meminfo", "/proc/stat", "/proc/swaps", "/proc/uptime",
        "/proc/loadavg", "/proc/slabinfo", "/proc/net/dev", "/proc/sys/kernel/ns_last_pid",
    ]

    /// An absolute path with "//", "." and ".." folded (".." stops at "/"); a relative path is
    /// taken from "/".
    public static func normalize(_ path: String) -> String {
        Files.normalize("/" + path)
    }
}
