import LinuxSyscalls

/// One step of the mount plan, executed in order inside the root.
public enum MountStep: Sendable, Equatable {
    /// A mount(2), then its follow-up calls (bind remount, propagation).
    case mount(MountOperation)
    /// A symbolic link at `path` (in the root) pointing to `target`; an existing entry is kept.
    case symlink(target: String, path: String)
    /// A bind remount (MS_REMOUNT|MS_BIND) of the mount at `destination`, carrying the flags the
    /// kernel locks in a user namespace.
    case remount(destination: String, flags: MountFlags)
}

/// A mount(2) call with everything decided except the descriptors.
public struct MountOperation: Sendable, Equatable {
    /// How the mount point is found or created.
    public enum Target: Sendable, Equatable {
        /// A directory; missing components are created.
        case directory
        /// A bind target: a directory or an empty file, the same kind as the source.
        case likeSource
        /// A directory whose last component must not be a symlink (runc's rule for proc and sysfs).
        case directoryNoFollow
    }

    /// The source argument: a host path for binds, a file-system name otherwise.
    public var source: String
    /// Normalized absolute path inside the root.
    public var destination: String
    /// The file-system type; nil for binds.
    public var fsType: String?
    /// Flags of the first mount(2) call.
    public var flags: MountFlags
    public var data: String
    public var target: Target
    /// For binds: the flags of a MS_REMOUNT|MS_BIND call that applies ro, nosuid, ... (a bind
    /// ignores them); nil when no remount is needed.
    public var bindRemount: MountFlags?
    /// Flags the options cleared: the remount does not carry them over from the source mount.
    public var clearedFlags: MountFlags
    /// Make every mount below the bind read-only too (mount_setattr), for the host /sys bind.
    public var recursiveReadOnly: Bool
    /// Propagation changes, each a separate mount(2) call on the new mount.
    public var propagation: [MountFlags]
    /// A tmpfs without "mode=": give it the mode of the directory it covers, as runc does.
    public var keepsDirectoryMode: Bool
    /// Fill the new tmpfs with a copy of the directory it covers ("tmpcopyup").
    public var copyUp = false
    /// Operations to run instead when the kernel refuses this one with EPERM (sysfs in a user
    /// namespace that does not own its network namespace).
    public var fallback: [MountOperation]

    public init(source: String, destination: String, fsType: String?, flags: MountFlags, data: String = "",
                target: Target = .directory, bindRemount: MountFlags? = nil, clearedFlags: MountFlags = [],
                recursiveReadOnly: Bool = false, propagation: [MountFlags] = [], keepsDirectoryMode: Bool = false,
                fallback: [MountOperation] = []) {
        self.source = source
        self.destination = destination
        self.fsType = fsType
        self.flags = flags
        self.data = data
        self.target = target
        self.bindRemount = bindRemount
        self.clearedFlags = clearedFlags
        self.recursiveReadOnly = recursiveReadOnly
        self.propagation = propagation
        self.keepsDirectoryMode = keepsDirectoryMode
        self.fallback = fallback
    }

    /// A bind (or with `recursive`, rbind) of `source`; ro, nosuid, ... become a remount.
    public static func bind(source: String, destination: String, options: MountOptions, recursive: Bool,
                            target: Target = .likeSource) -> MountOperation {
        let perMount = options.flags.subtracting([.bind, .recursive, .remount]).subtracting(MountFlags.propagationTypes)
        let remount: MountFlags? = perMount.isEmpty && options.clearedFlags.isEmpty ? nil : perMount.union([.bind, .remount])
        return MountOperation(source: source, destination: destination, fsType: nil,
                              flags: recursive ? [.bind, .recursive] : .bind, target: target,
                              bindRemount: remount, clearedFlags: options.clearedFlags,
                              propagation: options.propagation)
    }

    /// The flags of the bind remount once the source mount's flags are known: the requested ones
    /// plus those already on the mount that the kernel locks in a user namespace (ro, nosuid,
    /// nodev, noexec, and the access-time flags when none was asked for), unless the options
    /// cleared them.
    public static func remountFlags(_ requested: MountFlags, cleared: MountFlags, current: MountFlags) -> MountFlags {
        var flags = requested
        flags.formUnion(current.intersection([.readOnly, .noSetUID, .noDevices, .noExec]).subtracting(cleared))
        if requested.isDisjoint(with: MountFlags.accessTimeFlags) && cleared.isDisjoint(with: MountFlags.accessTimeFlags) {
            flags.formUnion(current.intersection(MountFlags.accessTimeFlags))
        }
        if !cleared.contains(.noDirectoryAccessTime) {
            flags.formUnion(current.intersection(.noDirectoryAccessTime))
        }
        return flags
    }
}
