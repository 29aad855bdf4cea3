import Diagnostics
import LinuxSyscalls

#if canImport(Glibc)
import Glibc
#endif

extension RootfsSetup {
    /// Device nodes (mknod, or in a user namespace a bind of the host's node over an empty
    /// file), /dev/ptmx → pts/ptmx, and the /dev/fd, stdin, stdout, stderr, core links.
    func createDevices(_ resolver: RootResolver) throws {
        // mknod applies the umask; the modes in the config are meant exactly.
        let savedMask = umask(0)
        defer { umask(savedMask) }
        var parents: [String: FileDescriptor] = [:]
        func parent(of path: String) throws -> (FileDescriptor, String) {
            let slash = path.lastIndex(of: "/") ?? path.startIndex
            let directory = slash == path.startIndex ? "/" : String(path[..<slash])
            let name = String(path[path.index(after: slash)...])
            if let fd = parents[directory] { return (fd, name) }
            let fd = try resolver.create(directory, as: .directory)
            parents[directory] = fd
            return (fd, name)
        }
        let rootOwned = geteuid() == 0 && getegid() == 0
        for node in plan.devices {
            let (directory, name) = try parent(of: node.path)
            if try !config.inUserNamespace && makeNode(node, in: directory, name, rootOwned: rootOwned) { continue }
            let placeholder = try resolver.create(node.path, as: .file)
            try mount("bind host \(node.path) on \(node.path)", source: node.path, on: placeholder, node.path, flags: .bind)
        }

        let (dev, ptmx) = try parent(of: DevSymlinks.ptmx.path)
        if unlinkat(dev.rawValue, ptmx, 0) < 0 && errno != ENOENT {
            throw BerthError.system("remove /dev/ptmx (in \(config.rootfs))")
        }
        if symlinkat(DevSymlinks.ptmx.target, dev.rawValue, ptmx) < 0 {
            throw BerthError.system("symlink /dev/ptmx (in \(config.rootfs))")
        }
        // CONFIG_PROC_KCORE may be off: link /dev/core only when the host has it.
        for link in DevSymlinks.plan(kcore: access("/proc/kcore", F_OK) == 0) {
            let (directory, name) = try parent(of: link.path)
            if symlinkat(link.target, directory.rawValue, name) < 0 && errno != EEXIST {
                throw BerthError.system("symlink \(link.path) (in \(config.rootfs))")
            }
        }
    }

    /// mknodat + fchownat. Returns false when mknod is not permitted (the caller binds the host
    /// node instead, as runc does); an existing entry is kept.
    private func makeNode(_ node: DeviceNode, in directory: FileDescriptor, _ name: String, rootOwned: Bool) throws -> Bool {
        do {
            try Mounts.makeNode(at: directory, name, mode: node.kind.modeBits | node.mode, major: node.major, minor: node.minor)
        } catch let error as BerthError {
            if error.errno == EEXIST { return true }
            if error.errno == EPERM { return false }
            throw BerthError(error.code, "mknod \(node.path) (in \(config.rootfs)): \(errnoDescription(error.errno ?? EIO))",
                             errno: error.errno)
        }
        if !(rootOwned && node.uid == 0 && node.gid == 0) {
            try syscall("chown \(node.path) (in \(config.rootfs))") {
                fchownat(directory.rawValue, name, node.uid, node.gid, AT_SYMLINK_NOFOLLOW)
            }
        }
        return true
    }
}
