import Diagnostics
import LinuxSyscalls
import LiteJSON

#if canImport(Glibc)
import Glibc
#endif

/// The engine's containers under one root directory, shared by every `berth` command at once:
///
///     <root>/containers/<id>/container.json   the record (temp + rename, under <id>/lock)
///     <root>/names/<name>                     the id owning the name, made with link(2)
///     <root>/names.lock                       taken only to remove a name
///     <root>/staging/                         records being made or removed (see `Staging`)
///
/// A record is made in staging/ and renamed into containers/ whole, with `creating` set; then its
/// name is reserved; then `creating` is cleared. A name file appears atomically with its
/// content (link(2) fails with EEXIST when the name is taken), so names stay unique without a
/// global lock. A command killed at any point leaves a record still `creating` (its creator
/// dead), a name pointing at no container, or a staging/ entry of a dead process: ``reconcile()``
/// removes all three. Records are read without a lock.
public final class ContainerStore: @unchecked Sendable {
    public let root: String
    let containersPath: String
    let namesPath: String
    let staging: Staging

    /// Opens (creating when needed) the store under `root`.
    public init(root: String) throws {
        self.root = Files.normalize(Files.absolute(root))
        containersPath = "\(self.root)/containers"
        namesPath = "\(self.root)/names"
        staging = Staging(path: "\(self.root)/staging")
        try BerthError.wrap("open container store \(self.root)") {
            for dir in [self.root, containersPath, namesPath, staging.path] {
                try Files.makeDirectory(dir, mode: 0o700)
            }
        }
    }

    func directory(_ id: String) -> String { "\(containersPath)/\(id)" }
    func recordPath(_ id: String) -> String { "\(directory(id))/container.json" }
    var namesLockPath: String { "\(root)/names.lock" }

    // MARK: - Reading

    /// The container with this full id, unique id prefix or name (docker's order: id, name, prefix).
    /// - Throws: `.notFound` "no such container: X"; `.invalidArgument` for an ambiguous prefix.
    public func load(_ idOrNameOrPrefix: String) throws -> ContainerRecord {
        let query = idOrNameOrPrefix
        if isFullID(query), let record = try readVisible(query) { return record }
        let bare = query.hasPrefix("/") ? String(query.dropFirst()) : query
        if ContainerName.isValid(bare), let id = try? owner(ofName: bare),
           let record = try readVisible(id), record.name == bare {
            return record
        }
        if !query.isEmpty, !query.hasPrefix("/") {
            let matches = try Files.listDirectories(containersPath).filter { $0.hasPrefix(query) }
            let visible = try matches.compactMap { try readVisible($0) }
            if visible.count > 1 { throw BerthError.invalid("multiple ids found with provided prefix: \(query)") }
            if let record = visible.first { return record }
        }
        throw BerthError(.notFound, "no such container: \(query)")
    }

    /// Every container that is not being made, oldest first.
    public func list() throws -> [ContainerRecord] {
        try Files.listDirectories(containersPath).compactMap { try readVisible($0) }
            .sorted { ($0.created, $0.id) < ($1.created, $1.id) }
    }

    /// The record of `id`, nil when it is gone or still being made.
    func readVisible(_ id: String) throws -> ContainerRecord? {
        guard let record = try readRecord(id), !record.creating else { return nil }
        return record
    }

    /// The record of `id` as it is on disk, nil when there is none.
    func readRecord(_ id: String) throws -> ContainerRecord? {
        let bytes: [UInt8]
        do { bytes = try Files.read(recordPath(id)) } catch let error as BerthError where error.errno == ENOENT || error.errno == ENOTDIR {
            return nil
        }
        return try BerthError.wrap("read container \(id)") { try ContainerRecord.parse(bytes) }
    }

    // MARK: - Writing

    /// Runs a locked read-modify-write of the record of `id` (a full id) and returns the result.
    /// - Throws: `.notFound` when the container is gone; `.invalidArgument` if `body` changes the id.
    @discardableResult
    public func update(_ id: String, _ body: (inout ContainerRecord) throws -> Void) throws -> ContainerRecord {
        try withLock(id) {
            guard var record = try readRecord(id) else { throw BerthError(.notFound, "no such container: \(id)") }
            try body(&record)
            guard record.id == id else { throw BerthError.invalid("update container \(id): the id cannot change") }
            try writeRecord(record)
            return record
        }
    }

    /// Runs `body` holding the exclusive lock of container `id`.
    func withLock<T>(_ id: String, _ body: () throws -> T) throws -> T {
        guard isFullID(id), Files.isDirectory(directory(id)) else { throw BerthError(.notFound, "no such container: \(id)") }
        let lock: FileLock
        do { lock = try FileLock.exclusive("\(directory(id))/lock") } catch let error as BerthError where error.errno == ENOENT {
            throw BerthError(.notFound, "no such container: \(id)")
        }
        defer { lock.unlock() }
        return try body()
    }

    /// Writes the record (temp + rename); the caller holds the container's lock.
    func writeRecord(_ record: ContainerRecord) throws {
        try BerthError.wrap("write container \(record.id)") {
            do {
                try Files.writeAtomically(recordPath(record.id), try record.serialized())
            } catch let error as BerthError where error.errno == ENOENT {
                throw BerthError(.notFound, "no such container: \(record.id)")
            }
        }
    }
}
