import Diagnostics
import LinuxSyscalls

#if canImport(Glibc)
import Glibc
#endif

/// Builds the container's file system view, in the init, inside the container's new mount
/// namespace: `mountAll` (before pivot_root, host /proc still visible), `bindConsole`, `pivot`,
/// `finalize`. The decisions are in `MountPlan`; this class only executes them.
///
/// Every mount target is resolved inside the rootfs from a descriptor (`RootResolver`) and
/// mounted on through its /proc/self/fd/N path, so symlinks in the image cannot redirect a
/// mount onto the host.
public final class RootfsSetup {
    public let config: RootfsConfig
    public let plan: MountPlan
    /// Set by `mountAll`, on the rootfs bind mount.
    var resolver: RootResolver?
    /// True after `pivot`: "/" is the container's root.
    var pivoted = false

    /// Plans the setup; nothing is mounted yet.
    /// - Throws: `invalidArgument` for configs the plan refuses (see `MountPlan`).
    public init(config: RootfsConfig) throws {
        self.config = config
        self.plan = try MountPlan(config)
    }

    /// The resolver on the rootfs; fails before `mountAll`.
    func rootResolver() throws -> RootResolver {
        guard let resolver else { throw BerthError(.invalidState, "rootfs \(config.rootfs): not mounted yet") }
        return resolver
    }

    /// Opens a path inside the root (resolved in the root, never escaping it), e.g. "/dev/pts/ptmx".
    /// - Throws: "resolve PATH in root ROOTFS: ...".
    public func open(inRoot path: String, flags: Int32) throws -> FileDescriptor {
        try rootResolver().open(path, flags: flags)
    }

    /// Creates `path` as a directory inside the root when it is missing (runc makes a missing
    /// `process.cwd` this way, as root and before pivot_root).
    public func makeDirectory(inRoot path: String) throws {
        _ = try rootResolver().create(path, as: .directory)
    }

    /// Bind-mounts the pty slave at `inRootPath` (e.g. "/dev/pts/0", in the container's devpts)
    /// over the container's /dev/console, creating the file when it is missing.
    public func bindConsole(slave inRootPath: String) throws {
        let resolver = try rootResolver()
        let slave = try resolver.open(inRootPath)
        let console = try resolver.create("/dev/console", as: .file)
        try mount("mount \(inRootPath) on /dev/console", source: target(slave, inRootPath), on: console,
                  "/dev/console", flags: .bind)
    }

    // MARK: - Mount helpers

    /// The path a mount call uses for a descriptor: /proc/self/fd/N, which the kernel resolves
    /// to exactly the file we opened. After pivot_root without a proc file system at /proc, the
    /// in-root path itself (the root is "/" then, so it cannot lead outside).
    func target(_ fd: FileDescriptor, _ path: String) -> String {
        pivoted && !plan.mountsProc ? path : fd.procPath
    }

    /// mount(2) onto `fd` (nil: onto the plain `destination`), with the error
    /// "ACTION (in ROOTFS): ...", e.g. "mount proc on /proc (in /run/x/rootfs): operation not permitted".
    func mount(_ action: @autoclosure () -> String, source: String?, on fd: FileDescriptor?, _ destination: String,
               fsType: String? = nil, flags: MountFlags, data: String? = nil) throws {
        let targetPath = fd.map { target($0, destination) } ?? destination
        do {
            try Mounts.mount(source: source, target: targetPath, type: fsType, flags: flags, data: data)
        } catch let error as BerthError {
            throw BerthError(error.code, "\(action()) (in \(config.rootfs)): \(errnoDescription(error.errno ?? EIO))",
                             errno: error.errno)
        }
    }
}
