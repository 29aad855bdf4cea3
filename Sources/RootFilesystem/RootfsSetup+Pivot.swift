import Diagnostics
import LinuxSyscalls

#if canImport(Glibc)
import Glibc
#endif

extension RootfsSetup {
    /// Makes the rootfs the process's "/": pivot_root(".", ".") and a detached unmount of the
    /// old root stacked under it; with `noPivot`, MS_MOVE onto "/" and chroot. Afterwards the
    /// current directory is "/" in the new root.
    public func pivot() throws {
        let resolver = try rootResolver()
        if config.noPivot {
            try moveRoot(resolver)
        } else {
            try pivotRoot(resolver)
        }
        pivoted = true
    }

    /// runc's pivotRoot: pivot_root(".", ".") stacks the old root on the new one, so no
    /// directory for it is needed in the image.
    private func pivotRoot(_ resolver: RootResolver) throws {
        let oldRoot = try FileDescriptor.open("/", OpenFlags.path | O_DIRECTORY)
        try syscall("chdir to rootfs", path: config.rootfs) { fchdir(resolver.root.rawValue) }
        do {
            try Mounts.pivotRoot(newRoot: ".", putOld: ".")
        } catch let error as BerthError {
            throw BerthError(error.code, "pivot_root to \(config.rootfs): \(errnoDescription(error.errno ?? EIO))",
                             errno: error.errno)
        }
        // The kernel does not promise where "." is after pivot_root; go to the old root explicitly.
        try syscall("chdir to old root") { fchdir(oldRoot.rawValue) }
        // rslave, not rprivate: the unmount must not reach the host, while the host may still
        // hold references to these mounts (runc's reasoning).
        try mount("set propagation of the old root", source: nil, on: nil, ".", flags: [.slave, .recursive])
        do {
            try Mounts.unmount(".", detach: true)
        } catch let error as BerthError {
            throw BerthError(error.code, "unmount the old root: \(errnoDescription(error.errno ?? EIO))", errno: error.errno)
        }
        try syscall("chdir", path: "/") { chdir("/") }
    }

    /// runc's msMoveRoot. The host's proc and sysfs mounts stay in the namespace under a chroot,
    /// and the kernel counts them when the container later mounts proc or sysfs: detach them
    /// (or cover them with a tmpfs when unmounting is not allowed) before moving the root.
    private func moveRoot(_ resolver: RootResolver) throws {
        let mounts = MountInfo.parse(try Files.readString("/proc/self/mountinfo"))
        for info in mounts where info.root == "/" && (info.fsType == "proc" || info.fsType == "sysfs")
            && !MountInfo.isPrefix(config.rootfs, of: info.mountPoint) {
            let point = info.mountPoint
            do {
                try Mounts.mount(source: nil, target: point, type: nil, flags: [.slave, .recursive])
            } catch let error as BerthError where error.errno == ENOENT {
                continue
            }
            do {
                try Mounts.unmount(point, detach: true)
            } catch let error as BerthError where error.errno == EINVAL || error.errno == EPERM {
                try mount("cover \(point)", source: "tmpfs", on: nil, point, fsType: "tmpfs", flags: [])
            }
        }
        try syscall("chdir to rootfs", path: config.rootfs) { fchdir(resolver.root.rawValue) }
        try mount("move rootfs onto /", source: ".", on: nil, "/", flags: .move)
        try syscall("chroot", path: config.rootfs) { chroot(".") }
        try syscall("chdir", path: "/") { chdir("/") }
    }
}
