import Diagnostics
import LinuxSyscalls

#if canImport(Glibc)
import Glibc
#endif

extension RootfsSetup {
    /// After `pivot`, in runc's order: read-only remounts of tmpfs mounts asked "ro",
    /// `root.readonly`, `readonlyPaths`, `maskedPaths` (missing paths are skipped), then
    /// `linux.rootfsPropagation` on "/".
    public func finalize() throws {
        let resolver = try rootResolver()
        let finalization = plan.finalization
        for remount in finalization.readOnlyRemounts {
            let fd = try resolver.open(remount.destination)
            try mount("remount \(remount.destination) read-only", source: nil, on: fd, remount.destination,
                      flags: remount.flags)
        }
        if finalization.readOnlyRoot {
            try remountBind(try resolver.open("/"), "/", [.readOnly], cleared: [])
        }
        for path in finalization.readonlyPaths {
            try makeReadOnly(path, resolver)
        }
        if !finalization.maskedPaths.isEmpty {
            let null = try nullDevice(resolver)
            for path in finalization.maskedPaths {
                try mask(path, with: null, resolver)
            }
        }
        if let propagation = finalization.rootPropagation {
            try mount("set propagation of /", source: nil, on: nil, "/", flags: propagation)
        }
    }

    /// runc's readonlyPath: bind the path on itself, then remount that bind read-only.
    private func makeReadOnly(_ path: String, _ resolver: RootResolver) throws {
        guard let fd = try openIfPresent(path, resolver) else { return }
        try mount("bind \(path) on itself", source: target(fd, path), on: fd, path, flags: [.bind, .recursive])
        try remountBind(try resolver.open(path), path, [.readOnly], cleared: [])
    }

    /// runc's maskPath: /dev/null over a file, an empty read-only tmpfs over a directory.
    private func mask(_ path: String, with null: FileDescriptor, _ resolver: RootResolver) throws {
        guard let fd = try openIfPresent(path, resolver) else { return }
        if (try fd.stat().st_mode & S_IFMT) == S_IFDIR {
            try mount("mask \(path)", source: "tmpfs", on: fd, path, fsType: "tmpfs", flags: .readOnly)
        } else {
            try mount("mask \(path)", source: target(null, "/dev/null"), on: fd, path, flags: .bind)
        }
    }

    /// The container's /dev/null, checked to be the real null device: a container-made file or
    /// link there would otherwise be what covers the masked paths (CVE-2025-31133).
    private func nullDevice(_ resolver: RootResolver) throws -> FileDescriptor {
        let fd = try resolver.open("/dev/null")
        let info = try fd.stat()
        let (major, minor) = DeviceNode.split(UInt64(info.st_rdev))
        guard (info.st_mode & S_IFMT) == S_IFCHR, major == 1, minor == 3 else {
            throw BerthError.invalid("mask paths: /dev/null in \(config.rootfs) is not the null device")
        }
        return fd
    }

    private func openIfPresent(_ path: String, _ resolver: RootResolver) throws -> FileDescriptor? {
        do {
            return try resolver.open(path)
        } catch let error as BerthError where error.errno == ENOENT {
            return nil
        }
    }
}

extension DeviceNode {
    /// Major and minor of a `dev_t` (glibc's encoding: 12+20 bits spread over 64).
    public static func split(_ device: UInt64) -> (major: UInt32, minor: UInt32) {
        let major = ((device >> 8) & 0xfff) | ((device >> 32) & ~UInt64(0xfff))
        let minor = (device & 0xff) | ((device >> 12) & ~UInt64(0xff))
        return (UInt32(truncatingIfNeeded: major), UInt32(truncatingIfNeeded: minor))
    }
}
