import Diagnostics
import LinuxSyscalls

#if canImport(Glibc)
import Glibc
#endif

extension ContainerStore {
    /// The id `names/<name>` points at; nil when the name is free.
    func owner(ofName name: String) throws -> String? {
        do {
            return try Files.readString("\(namesPath)/\(name)")
        } catch let error as BerthError where error.errno == ENOENT {
            return nil
        }
    }

    /// Makes `names/<name>` point at `id`: a temporary file with the id is link(2)ed into place,
    /// which fails when the name exists, so the name never exists without its content. A name
    /// whose container is gone (left by a killed command) is taken over.
    /// - Throws: `.alreadyExists` with docker's conflict message.
    func reserveName(_ name: String, for id: String) throws {
        let temporary = staging.newPath("name")
        try Files.create(temporary, Array(id.utf8), mode: 0o600)
        defer { unlink(temporary) }
        let path = "\(namesPath)/\(name)"
        for attempt in 0..<2 {
            if link(temporary, path) == 0 { return }
            let code = errno
            guard code == EEXIST else { throw BerthError.system("link", path: path, errno: code) }
            let holder = try owner(ofName: name) ?? ""
            if attempt == 0, isFullID(holder), !Files.isDirectory(directory(holder)),
               try releaseName(name, ownedBy: holder) {
                continue
            }
            throw BerthError(.alreadyExists, "conflict: the container name \"/\(name)\" is already in use by container \"\(holder)\"")
        }
    }

    /// Removes `names/<name>` if it still points at `id`; returns whether it did. Every removal
    /// takes names.lock, so that a name re-taken after the check is never removed.
    @discardableResult
    func releaseName(_ name: String, ownedBy id: String) throws -> Bool {
        let lock = try FileLock.exclusive(namesLockPath)
        defer { lock.unlock() }
        guard try owner(ofName: name) == id else { return false }
        try Files.removeFile("\(namesPath)/\(name)")
        return true
    }

    /// Renames the container `id` (a full id): reserves the new name, updates the record, then
    /// frees the old name.
    /// - Throws: `.alreadyExists` when the name is taken, `.invalidArgument` for a bad or unchanged name.
    public func rename(_ id: String, to newName: String) throws {
        let name = try ContainerName.validated(newName)
        let oldName: String = try withLock(id) {
            guard var record = try readVisible(id) else { throw BerthError(.notFound, "no such container: \(id)") }
            guard record.name != name else {
                throw BerthError.invalid("renaming a container with the same name as its current name")
            }
            try reserveName(name, for: id)
            let oldName = record.name
            record.name = name
            do { try writeRecord(record) } catch {
                _ = try? releaseName(name, ownedBy: id)
                throw error
            }
            return oldName
        }
        if !oldName.isEmpty { try releaseName(oldName, ownedBy: id) }
    }
}
