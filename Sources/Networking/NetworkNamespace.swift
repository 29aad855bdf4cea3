import CBerthShim
import Diagnostics
import LinuxSyscalls

#if canImport(Glibc)
import Glibc
#endif

/// Persistent network namespaces: a new namespace bind-mounted on a file (`<root>/netns/<id>`),
/// alive until `remove`, whatever processes come and go — what `ip netns add` does.
public enum NetworkNamespace {
    /// How the namespace is made.
    public enum Method: Sendable, CaseIterable {
        /// unshare(CLONE_NEWNET) on a short-lived thread of this process, which then bind-mounts its
        /// /proc/thread-self/ns/net on the file: no process is spawned. A network namespace, unlike
        /// a user or mount one, can be unshared by one thread of a threaded process.
        case thread
        /// util-linux's `unshare --net=<path> true`.
        case unshareProgram
    }

    /// Creates a network namespace bind-mounted at `path` (the file is created; its directory must exist).
    /// - Parameter method: `.thread` is the faster one (see the report in NetworkingTests).
    /// - Throws: `.system` naming the failed step (nothing is left behind), `.alreadyExists` when a
    ///   namespace is mounted at `path`.
    /// - Parameter loopbackUp: bring `lo` up inside (`.thread` only): a namespace that joins no
    ///   network (`--network none`) then needs no loopback plugin.
    public static func create(path: String, method: Method = .thread, loopbackUp: Bool = false) throws {
        let directory = path.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        try makeSharedMount(directory.isEmpty ? "/" : directory)
        if Files.exists(path) {
            // A file left by a killed engine is reused; a live namespace is not replaced.
            if isMounted(path) { throw BerthError(.alreadyExists, "network namespace \(path) already exists") }
            unlink(path)
        }
        let fd = try FileDescriptor.open(path, O_RDONLY | O_CREAT | O_EXCL, mode: 0o444)
        fd.close()
        do {
            switch method {
            case .thread: try createOnThread(path: path, loopbackUp: loopbackUp)
            case .unshareProgram:
                _ = try BerthError.wrap("create network namespace \(path)") {
                    try HelperProgram.check(["/usr/bin/unshare", "--net=\(path)", "true"])
                }
            }
        } catch {
            unlink(path)
            throw error
        }
    }

    /// Unmounts (MNT_DETACH) and deletes the namespace file; a missing or unmounted file is fine.
    /// - Throws: `.system` when the unmount or the unlink fails for another reason.
    public static func remove(path: String) throws {
        if bt_umount2(path, BT_MNT_DETACH) != 0 && errno != EINVAL && errno != ENOENT {
            throw BerthError.system("umount", path: path)
        }
        if unlink(path) != 0 && errno != ENOENT { throw BerthError.system("unlink", path: path) }
    }

    /// Whether `path` is a mounted network namespace (nsfs).
    public static func isMounted(_ path: String) -> Bool {
        guard let text = try? Files.readString("/proc/self/mountinfo") else { return false }
        return MountInfo.parse(text).contains { $0.mountPoint == path && $0.fsType == "nsfs" }
    }

    /// Makes the namespace directory a shared mount, binding it on itself first when it is not a
    /// mount point (iproute2 does this for /run/netns). Mounts made in it then propagate to mount
    /// namespaces copied later, and so do their unmounts: a copy left in another mount namespace
    /// would otherwise keep the network namespace alive after `remove`.
    static func makeSharedMount(_ directory: String) throws {
        if bt_mount("", directory, "none", BT_MS_SHARED | BT_MS_REC, nil) == 0 { return }
        guard errno == EINVAL else { throw BerthError.system("make shared mount", path: directory) }
        try syscall("bind mount", path: directory) { bt_mount(directory, directory, "none", BT_MS_BIND | BT_MS_REC, nil) }
        try syscall("make shared mount", path: directory) { bt_mount("", directory, "none", BT_MS_SHARED | BT_MS_REC, nil) }
    }

    /// The work of `.thread`, on a fresh pthread so the caller's own namespace never changes.
    final class ThreadJob {
        let path: String
        let loopbackUp: Bool
        var failure: BerthError?
        init(path: String, loopbackUp: Bool) {
            self.path = path
            self.loopbackUp = loopbackUp
        }

        func run() {
            guard bt_unshare(BT_CLONE_NEWNET) == 0 else {
                failure = BerthError.system("unshare network namespace", path: path)
                return
            }
            if loopbackUp, let error = NetworkNamespace.bringUpLoopbackHere() {
                failure = error
                return
            }
            if bt_mount("/proc/thread-self/ns/net", path, "none", BT_MS_BIND, nil) != 0 {
                failure = BerthError.system("bind mount network namespace", path: path)
            }
        }
    }

    /// `ip link set lo up` in the calling thread's network namespace (SIOCSIFFLAGS).
    static func bringUpLoopbackHere() -> BerthError? {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return BerthError.system("socket", path: "lo") }
        defer { close(fd) }
        var request = ifreq()
        withUnsafeMutableBytes(of: &request.ifr_ifrn) { raw in
            raw.copyBytes(from: Array("lo".utf8) + [0])
        }
        guard ioctl(fd, UInt(SIOCGIFFLAGS), &request) == 0 else { return BerthError.system("get flags", path: "lo") }
        request.ifr_ifru.ifru_flags |= Int16(IFF_UP | IFF_RUNNING)
        guard ioctl(fd, UInt(SIOCSIFFLAGS), &request) == 0 else { return BerthError.system("bring up", path: "lo") }
        return nil
    }

    static func createOnThread(path: String, loopbackUp: Bool = false) throws {
        let job = ThreadJob(path: path, loopbackUp: loopbackUp)
        let context = Unmanaged.passRetained(job).toOpaque()
        var thread = pthread_t()
        let code = pthread_create(&thread, nil, { context in
            guard let context else { return nil }
            Unmanaged<ThreadJob>.fromOpaque(context).takeRetainedValue().run()
            return nil
        }, context)
        guard code == 0 else {
            Unmanaged<ThreadJob>.fromOpaque(context).release()
            throw BerthError.system("pthread_create", path: path, errno: code)
        }
        pthread_join(thread, nil)
        if let failure = job.failure { throw failure }
    }
}
