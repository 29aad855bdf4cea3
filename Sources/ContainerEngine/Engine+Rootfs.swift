import Diagnostics
import EngineState
import ImageStore
import LinuxSyscalls

#if canImport(Glibc)
import Glibc
#endif

extension Engine {
    /// Mounts the container's root file system (the image's layers under its upper/work
    /// directories) at `<dir>/rootfs`, unless it is mounted already.
    func mountRootfs(_ record: ContainerRecord) throws {
        let dir = directory(record.id)
        for sub in ["rootfs", "upper", "work"] { try Files.makeDirectory("\(dir)/\(sub)", mode: 0o755) }
        guard !Self.isMountPoint(rootfsPath(record.id)) else { return }
        let image = try BerthError.wrap("container \(record.name)") { try images.image(record.imageID) }
        try images.mountRootfs(of: image, target: rootfsPath(record.id), upper: "\(dir)/upper", work: "\(dir)/work")
    }

    /// Unmounts `<dir>/rootfs` (lazily: a process still inside keeps its view).
    func unmountRootfs(_ id: String) throws {
        let path = rootfsPath(id)
        while Self.isMountPoint(path) {
            try BerthError.wrap("unmount root filesystem of container \(id)") { try Mounts.unmount(path, detach: true) }
        }
    }

    /// Runs `body` with the rootfs mounted; when it was not mounted before, unmounts it after.
    public func withRootfs<T>(_ record: ContainerRecord, _ body: (String) throws -> T) throws -> T {
        let wasMounted = Self.isMountPoint(rootfsPath(record.id))
        try mountRootfs(record)
        defer { if !wasMounted, !isActive(record.id) { try? unmountRootfs(record.id) } }
        return try body(rootfsPath(record.id))
    }

    /// True while a monitor keeps the container (running, paused or restarting).
    func isActive(_ id: String) -> Bool {
        guard let record = try? containers.load(id) else { return false }
        return record.state == .running || record.state == .paused || record.state == .restarting
    }

    /// A directory on another device than its parent: a mount point.
    static func isMountPoint(_ path: String) -> Bool {
        var own = stat(), parent = stat()
        guard lstat(path, &own) == 0, lstat(path + "/..", &parent) == 0 else { return false }
        return own.st_dev != parent.st_dev || own.st_ino == parent.st_ino
    }
}
