import Diagnostics
import LinuxSyscalls
import LiteJSON

#if canImport(Glibc)
import Glibc
#endif

extension ContainerStore {
    /// Makes a container record in state `created` with a new id and `name` (docker's rules; a
    /// generated "adjective_surname" when nil).
    ///
    /// The record is made in staging/ with `creating` set and renamed into containers/, the name is
    /// reserved, then `creating` is cleared. On failure nothing is left behind; if the process
    /// is killed, ``reconcile()`` removes the half-made record.
    /// - Throws: `.alreadyExists` "conflict: the container name "/web" is already in use by
    ///   container "<id>"", `.invalidArgument` for a bad name.
    public func create(name: String?, image: String, imageID: String, config: JSONValue = .null,
                       labels: [String: String] = [:]) throws -> ContainerRecord {
        let requested = try name.map { try ContainerName.validated($0) }
        let id = newID()
        var record = ContainerRecord(id: id, name: requested ?? "", image: image, imageID: imageID,
                                     created: Timestamp.now().rfc3339(), config: config, labels: labels)
        record.creating = true
        record.creatorPid = getpid()
        record.creatorStartTime = Processes.startTime(getpid())
        try BerthError.wrap("create container") { try makeRecord(record) }
        do {
            record.name = try reserve(requested, for: id)
            return try update(id) {
                $0.name = record.name
                $0.creating = false
                $0.creatorPid = nil
                $0.creatorStartTime = nil
            }
        } catch {
            try? discard(id, name: record.name)
            throw error
        }
    }

    /// Writes the record into staging/ and renames its directory into containers/.
    private func makeRecord(_ record: ContainerRecord) throws {
        let temporary = staging.newPath("create", record.id)
        try Files.makeDirectory(temporary, mode: 0o700, exclusive: true)
        do {
            try Files.writeAtomically("\(temporary)/container.json", try record.serialized())
            try renamePath(temporary, directory(record.id))
        } catch {
            try? Files.removeTree(temporary)
            throw error
        }
    }

    /// Reserves `requested`, or a generated name: docker tries six generated names, then the
    /// short id.
    private func reserve(_ requested: String?, for id: String) throws -> String {
        if let requested {
            try reserveName(requested, for: id)
            return requested
        }
        for retry in 0..<6 {
            let candidate = ContainerName.generate(retry: retry)
            do {
                try reserveName(candidate, for: id)
                return candidate
            } catch let error as BerthError where error.code == .alreadyExists {
                continue
            }
        }
        let short = String(id.prefix(12))
        try reserveName(short, for: id)
        return short
    }

    /// Removes the record of `id` (renamed into staging/ first, so it vanishes at once), then its
    /// name if that still points at `id`.
    func discard(_ id: String, name: String) throws {
        let temporary = staging.newPath("remove", id)
        do {
            try renamePath(directory(id), temporary)
        } catch let error as BerthError where error.errno == ENOENT {
            return
        }
        if !name.isEmpty { try releaseName(name, ownedBy: id) }
        try Files.removeTree(temporary)
    }

    /// Removes the container `id` (a full id): its record, then its name. The engine checks
    /// first that nothing runs in it.
    /// - Throws: `.notFound` when it is gone.
    public func remove(_ id: String) throws {
        try withLock(id) {
            guard let record = try readRecord(id) else { throw BerthError(.notFound, "no such container: \(id)") }
            try BerthError.wrap("remove container \(id)") { try discard(id, name: record.name) }
        }
    }
}
