import Diagnostics
import LinuxSyscalls

#if canImport(Glibc)
import Glibc
#endif

/// Directory work shared by the v1 and v2 managers: make, walk and remove cgroups.
struct CgroupTree {
    let files: any CgroupFiles

    /// mkdir -p from `base` (which exists) down to `directory`.
    /// - Returns: the directories this call created, parents first.
    func makeDirectories(_ directory: String, under base: String) throws -> [String] {
        let components = directory.dropFirst(base.count).split(separator: "/")
        // A concurrent `destroy` of a sibling may rmdir a shared, momentarily empty parent
        // between two of our mkdirs (ENOENT): start again from the top a few times.
        var attempt = 0
        while true {
            var created: [String] = []
            var current = base
            do {
                for component in components {
                    current += "/" + component
                    do {
                        try files.makeDirectory(current)
                        created.append(current)
                    } catch let error as BerthError where error.errno == EEXIST {
                        continue
                    }
                }
                return created
            } catch let error as BerthError where error.errno == ENOENT && attempt < 5 {
                attempt += 1
                removeCreated(created)
            } catch {
                removeCreated(created)
                throw error
            }
        }
    }

    /// Removes `directories` (as `makeDirectories` returned them) deepest first, best effort.
    func removeCreated(_ directories: [String]) {
        for directory in directories.reversed() { try? files.removeDirectory(directory) }
    }

    /// Removes the cgroup `directory` and every cgroup below it, deepest first, retrying EBUSY
    /// until `deadline` (exiting processes take a moment to leave). A missing directory is fine.
    func remove(_ directory: String, deadline: Deadline) throws {
        var delay: UInt32 = 10_000
        while true {
            do {
                // rmdir first: a leaf cgroup (the usual case) needs no listing of its ~50 files.
                try files.removeDirectory(directory)
                return
            } catch let error as BerthError where error.errno == ENOENT {
                return
            } catch let error as BerthError where error.errno == EBUSY || error.errno == ENOTEMPTY {
                let children = try files.subdirectories(directory)
                if !children.isEmpty {
                    for child in children { try remove("\(directory)/\(child)", deadline: deadline) }
                    continue
                }
                guard !deadline.hasPassed else { throw error }
                usleep(delay)
                delay = min(delay * 2, 100_000)
            }
        }
    }

    /// The pids in `directory`/cgroup.procs and, with `recursive`, in every cgroup below it.
    func pids(_ directory: String, recursive: Bool) throws -> [Int32] {
        var result = try files.read(directory, "cgroup.procs").split(separator: "\n").compactMap { Int32($0) }
        if recursive {
            for child in try files.subdirectories(directory) {
                result += try pids("\(directory)/\(child)", recursive: true)
            }
        }
        return result
    }

    /// Writes `pid` to `directory`/cgroup.procs.
    func add(pid: Int32, to directory: String) throws {
        try files.write(directory, "cgroup.procs", String(pid))
    }

    /// kill(2) for each pid; a process that is already gone (ESRCH) is not an error.
    static func signal(_ pids: [Int32], _ signal: Int32) throws {
        for pid in pids where pid > 0 {
            if kill(pid, signal) == -1 && errno != ESRCH {
                throw BerthError.system("kill", path: String(pid))
            }
        }
    }
}

/// A point on the monotonic clock, for the short waits of destroy and freeze (wall-clock
/// time may jump).
struct Deadline {
    private let nanoseconds: Int64

    /// The deadline `milliseconds` from now.
    init(milliseconds: Int64) { nanoseconds = Deadline.monotonicNow() + milliseconds * 1_000_000 }

    var hasPassed: Bool { Deadline.monotonicNow() >= nanoseconds }

    private static func monotonicNow() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
    }
}
