import Diagnostics
import LinuxSyscalls
import LiteJSON
import OCIRuntimeSpec

#if canImport(Glibc)
import Glibc
#endif

/// A container the runtime knows about: its record and its state directory, locked while a
/// command works on it.
public final class Container {
    public let id: String
    public let directory: String
    public private(set) var record: ContainerRecord
    let lock: FileDescriptor
    /// The pty master when `run` made the terminal itself.
    var terminalMaster: FileDescriptor?

    var fifoPath: String { "\(directory)/exec.fifo" }

    init(id: String, directory: String, record: ContainerRecord, lock: FileDescriptor) {
        self.id = id
        self.directory = directory
        self.record = record
        self.lock = lock
    }

    /// Loads `<root>/<id>` and locks it: exclusively for commands that change the container,
    /// shared for those that only read it (`state`, `list`).
    public static func load(id: String, options: RuntimeOptions, exclusive: Bool = true) throws -> Container {
        try ContainerID.validate(id)
        let directory = "\(options.root)/\(id)"
        let lock: FileDescriptor
    /// The pty master when `run` made the terminal itself.
    var terminalMaster: FileDescriptor?
        do {
            lock = try FileDescriptor.open(directory, O_RDONLY | O_DIRECTORY)
        } catch let error as BerthError where error.code == .notFound {
            throw BerthError(.notFound, "container \(id) does not exist")
        }
        try syscall("lock", path: directory) { flock(lock.rawValue, exclusive ? LOCK_EX : LOCK_SH) }
        let record = try ContainerRecord.load(from: directory, id: id)
        return Container(id: id, directory: directory, record: record, lock: lock)
    }

    /// The status right now, from the kernel: a pid that is gone or reused means stopped.
    public var status: ContainerStatus {
        guard record.pid > 0, Processes.isAlive(record.pid, startTime: record.pidStartTime) else {
            return .stopped
        }
        if Files.exists(fifoPath) { return .created }
        if CgroupState.isFrozen(record.cgroupPaths) { return .paused }
        return .running
    }

    /// The runtime-spec state, as `state` prints it and hooks read it.
    public var state: State {
        let status = self.status
        return State(id: id, pid: status == .stopped ? 0 : record.pid, status: status,
                     bundle: record.bundle, rootfs: record.rootfs, created: record.created,
                     annotations: record.annotations, owner: record.owner)
    }

    func stateJSON(_ status: ContainerStatus? = nil) -> [UInt8] {
        var state = self.state
        if let status { state.status = status }
        return (try? LiteJSONEncoder().encode(state)) ?? []
    }

    /// The ids of every container under `root`.
    public static func listIDs(options: RuntimeOptions) throws -> [String] {
        guard Files.isDirectory(options.root) else { return [] }
        return try Files.list(options.root).filter { Files.exists("\(options.root)/\($0)/\(ContainerRecord.fileName)") }.sorted()
    }
}

/// Reading a container's cgroup state from its recorded directories.
enum CgroupState {
    static func isFrozen(_ paths: [String: String]) -> Bool {
        if let freezer = paths["freezer"], let text = try? Files.readString("\(freezer)/freezer.state") {
            return text.hasPrefix("FROZEN")
        }
        for key in ["", "unified"] {
            if let dir = paths[key], let text = try? Files.readString("\(dir)/cgroup.freeze") {
                return text.hasPrefix("1")
            }
        }
        return false
    }
}
