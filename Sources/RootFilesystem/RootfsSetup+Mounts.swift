import Diagnostics
import LinuxSyscalls

#if canImport(Glibc)
import Glibc
#endif

extension RootfsSetup {
    /// Makes "/" rslave (or `linux.rootfsPropagation`), binds the rootfs on itself, opens it,
    /// performs every spec mount in order, then creates /dev nodes and links unless /dev is a
    /// bind mount.
    /// - Throws: `BerthError` naming the mount, e.g. "mount proc on /proc (in ROOTFS): ...".
    public func mountAll() throws {
        try prepareRoot()
        let resolver = try rootResolver()
        for step in plan.steps {
            try perform(step, resolver)
        }
        if plan.setsUpDev {
            try createDevices(resolver)
        }
    }

    /// runc's prepareRoot: nothing mounted from here on may propagate back to the host, and the
    /// rootfs must be a mount of its own for pivot_root.
    func prepareRoot() throws {
        try mount("set propagation of /", source: nil, on: nil, "/", flags: plan.rootPropagation)
        if plan.privatizeRootfsParent {
            try privatizeRootfsParent()
        }
        let rootfs = config.rootfs
        try mount("bind rootfs on itself", source: rootfs, on: nil, rootfs, flags: [.bind, .recursive])
        do {
            resolver = try RootResolver(opening: rootfs)
        } catch let error as BerthError {
            throw error.context("open rootfs")
        }
    }

    /// pivot_root fails when the parent of the new root is shared, and a shared parent would
    /// carry our rootfs bind to the host: make that one mount private (runc's
    /// rootfsParentMountPrivate). Only needed when "/" was not made rslave/rprivate.
    func privatizeRootfsParent() throws {
        let mounts = MountInfo.parse(try Files.readString("/proc/self/mountinfo"))
        var resolved = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let path = realpath(config.rootfs, &resolved).map { String(cString: $0) } ?? config.rootfs
        guard let parent = MountInfo.mount(containing: path, in: mounts), parent.isShared else { return }
        try mount("make \(parent.mountPoint) private", source: nil, on: nil, parent.mountPoint, flags: .private)
    }

    func perform(_ step: MountStep, _ resolver: RootResolver) throws {
        switch step {
        case .mount(let operation):
            try perform(operation, resolver)
        case .symlink(let target, let path):
            let (directory, name) = try resolver.openParent(path)
            if symlinkat(target, directory.rawValue, name) < 0 && errno != EEXIST {
                throw BerthError.system("symlink \(path) -> \(target) (in \(config.rootfs))")
            }
        case .remount(let destination, let flags):
            try remountBind(try resolver.open(destination), destination, flags, cleared: [])
        }
    }

    func perform(_ operation: MountOperation, _ resolver: RootResolver) throws {
        let destination = operation.destination
        let (target, existed) = try resolveTarget(operation, resolver)
        var data = operation.data
        if operation.keepsDirectoryMode && existed {
            // tmpfs would be 1777; keep the mode of the directory it covers (runc chmods it).
            let mode = try target.stat().st_mode & 0o7777
            data = "mode=" + String(mode, radix: 8) + (data.isEmpty ? "" : "," + data)
        }
        let action = "mount \(operation.fsType ?? operation.source) on \(destination)"
        // The covered directory, opened before the tmpfs hides it: the source of "tmpcopyup".
        let covered = operation.copyUp && existed ? try FileDescriptor.open(at: target, ".", O_RDONLY | O_DIRECTORY) : nil
        var flags = operation.flags
        while true {
            do {
                try mount(action, source: operation.source, on: target, destination, fsType: operation.fsType,
                          flags: flags, data: data.isEmpty ? nil : data)
                break
            } catch let error as BerthError where error.errno == EINVAL && flags.contains(.noSymlinkFollow) {
                // nosymfollow is best effort: kernels before 5.10 do not know it.
                flags.remove(.noSymlinkFollow)
            } catch let error as BerthError where error.errno == EPERM && !operation.fallback.isEmpty {
                for fallback in operation.fallback {
                    try perform(fallback, resolver)
                }
                return
            }
        }
        if let covered {
            let copy = try resolver.open(destination, flags: O_RDONLY | O_DIRECTORY)
            try BerthError.wrap("copy \(destination) up into its tmpfs (in \(config.rootfs))") {
                try DirectoryCopy.copyContents(of: covered, into: copy)
            }
        }
        guard operation.bindRemount != nil || operation.recursiveReadOnly || !operation.propagation.isEmpty else { return }
        // The descriptor we mounted on is the covered directory; the new mount is found by
        // resolving the path again.
        let mounted = try resolver.open(destination)
        if let requested = operation.bindRemount {
            try remountBind(mounted, destination, requested, cleared: operation.clearedFlags)
        }
        if operation.recursiveReadOnly {
            do {
                try Mounts.makeReadOnly(mounted, recursive: true)
            } catch let error as BerthError {
                throw BerthError(error.code, "make \(destination) read-only (in \(config.rootfs)): "
                                 + errnoDescription(error.errno ?? EIO), errno: error.errno)
            }
        }
        for propagation in operation.propagation {
            try mount("set propagation of \(destination)", source: nil, on: mounted, destination, flags: propagation)
        }
    }

    /// The mount point, and whether it was there before.
    private func resolveTarget(_ operation: MountOperation, _ resolver: RootResolver) throws -> (FileDescriptor, Bool) {
        let destination = operation.destination
        if operation.target == .directoryNoFollow {
            return (try resolver.directoryNoFollow(destination), true)
        }
        do {
            return (try resolver.open(destination), true)
        } catch let error as BerthError where error.errno == ENOENT {}
        var kind = RootResolver.Kind.directory
        if operation.target == .likeSource {
            var info = stat()
            guard stat(operation.source, &info) == 0 else {
                throw BerthError.system("stat bind source \(operation.source) for \(destination)")
            }
            if (info.st_mode & S_IFMT) != S_IFDIR { kind = .file }
        }
        return (try resolver.create(destination, as: kind), false)
    }

    /// MS_REMOUNT|MS_BIND with `requested`, plus the flags already on the mount that the kernel
    /// locks in a user namespace (clearing those fails with EPERM).
    func remountBind(_ mounted: FileDescriptor, _ destination: String, _ requested: MountFlags, cleared: MountFlags) throws {
        let current = try Mounts.flags(of: mounted)
        let flags = MountOperation.remountFlags(requested.union([.bind, .remount]), cleared: cleared, current: current)
        try mount("remount \(destination)", source: nil, on: mounted, destination, flags: flags)
    }
}
