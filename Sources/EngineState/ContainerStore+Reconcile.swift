import Diagnostics
import LinuxSyscalls

extension ContainerStore {
    /// What ``ContainerStore/reconcile()`` repaired.
    public struct Repairs: Sendable, Equatable {
        /// Ids of records left `creating` by a creator that is gone.
        public var removedContainers: [String] = []
        /// Names that pointed at no container, or at one that no longer bears them.
        public var removedNames: [String] = []
        /// staging/ entries of processes that are gone, and `<id>/container.json.tmp-PID` files.
        public var removedTemporaries: [String] = []

        public var isEmpty: Bool { removedContainers.isEmpty && removedNames.isEmpty && removedTemporaries.isEmpty }
    }

    /// Repairs what killed commands left: records still `creating` whose creator process is
    /// gone (its pid dead, or reused by a process with another start time) go with their name;
    /// names pointing at missing containers, or at containers renamed since, go; staging/ entries of
    /// dead processes go. Safe to run while other commands work.
    @discardableResult
    public func reconcile() throws -> Repairs {
        var repairs = Repairs()
        try BerthError.wrap("reconcile container store \(root)") {
            repairs.removedTemporaries = try staging.removeOrphans()
            for id in try Files.listDirectories(containersPath) where isFullID(id) {
                repairs.removedTemporaries += try removeRecordTemporaries(id)
                guard let record = try readRecord(id), record.creating, !creatorIsAlive(record) else { continue }
                let removed: Bool = try withLock(id) {
                    guard let record = try readRecord(id), record.creating, !creatorIsAlive(record) else { return false }
                    try discard(id, name: record.name)
                    return true
                }
                if removed { repairs.removedContainers.append(id) }
            }
            for name in try Files.list(namesPath) {
                guard let id = try owner(ofName: name) else { continue }
                let stale = try nameIsStale(name, id)
                if stale, try releaseName(name, ownedBy: id) { repairs.removedNames.append(name) }
            }
        }
        return repairs
    }

    /// True when `name` points at no container, or at one that bears another name and is not
    /// being made (mid-rename both names point at it, but rename holds the container's lock).
    private func nameIsStale(_ name: String, _ id: String) throws -> Bool {
        guard isFullID(id), try readRecord(id) != nil else { return true }
        do {
            return try withLock(id) {
                guard let record = try readRecord(id) else { return true }
                return !record.creating && record.name != name
            }
        } catch let error as BerthError where error.code == .notFound {
            return true
        }
    }

    /// Removes container.json.tmp-PID files that writers killed mid-write left. Writers hold the
    /// container's lock, so when it is free every such file is garbage.
    private func removeRecordTemporaries(_ id: String) throws -> [String] {
        let names = ((try? Files.list(directory(id))) ?? []).filter { $0.hasPrefix("container.json.tmp-") }
        guard !names.isEmpty, let lock = try? FileLock.tryExclusive("\(directory(id))/lock") else { return [] }
        defer { lock.unlock() }
        var removed: [String] = []
        for name in names where (try? Files.removeFile("\(directory(id))/\(name)")) != nil {
            removed.append("\(id)/\(name)")
        }
        return removed
    }

    private func creatorIsAlive(_ record: ContainerRecord) -> Bool {
        guard let pid = record.creatorPid, let start = record.creatorStartTime else { return false }
        return Processes.isAlive(pid, startTime: start)
    }
}
