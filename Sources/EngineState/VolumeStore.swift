import Diagnostics
import LinuxSyscalls
import LiteJSON

#if canImport(Glibc)
import Glibc
#endif

/// Named volumes under one root directory:
///
///     <root>/volumes/<name>/volume.json   the volume
///     <root>/volumes/<name>/_data         what containers mount
///
/// A volume is made whole in `<root>/tmp/` and renamed into volumes/: rename(2) fails when the
/// name is taken (the directory is never empty), so a name is never made twice and a volume is
/// never seen half-made. Removal renames it back into tmp/ before deleting it.
public final class VolumeStore: @unchecked Sendable {
    public let root: String
    let volumesPath: String
    let staging: Staging

    /// Opens (creating when needed) the store under `root`.
    public init(root: String) throws {
        self.root = Files.normalize(Files.absolute(root))
        volumesPath = "\(self.root)/volumes"
        staging = Staging(path: "\(self.root)/staging")
        try BerthError.wrap("open volume store \(self.root)") {
            try Files.makeDirectory(self.root, mode: 0o700)
            try Files.makeDirectory(volumesPath, mode: 0o701)
            try Files.makeDirectory(staging.path, mode: 0o700)
        }
    }

    func directory(_ name: String) -> String { "\(volumesPath)/\(name)" }

    /// Creates the volume `name`, or an anonymous one (a 64-hex name, docker's anonymous label)
    /// when nil. Like `docker volume create`, returns the existing volume when the name is taken.
    /// - Throws: `.invalidArgument` for a bad name.
    @discardableResult
    public func create(name: String? = nil, labels: [String: String] = [:],
                       options: [String: String] = [:]) throws -> Volume {
        var labels = labels
        if name == nil { labels[Volume.anonymousLabel] = "" }
        let name = name ?? newID()
        guard ContainerName.isValid(name) else {
            throw BerthError.invalid("create \(name): \"\(name)\" includes invalid characters for a local volume name, "
                + "only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed; if you intended to pass a host directory, use an absolute path")
        }
        if let existing = try read(name) { return existing }
        let volume = Volume(name: name, mountpoint: "\(directory(name))/_data", created: Timestamp.now().rfc3339(fraction: false),
                            labels: labels, options: options)
        let temporary = staging.newPath("volume")
        try BerthError.wrap("create volume \(name)") {
            do {
                try Files.makeDirectory(temporary, mode: 0o701, exclusive: true)
                try Files.makeDirectory("\(temporary)/_data", mode: 0o755)
                try Files.writeAtomically("\(temporary)/volume.json", try LiteJSONEncoder().encode(volume))
                if rename(temporary, directory(name)) != 0 {
                    let code = errno
                    guard code == EEXIST || code == ENOTEMPTY else { throw BerthError.system("rename", path: temporary, errno: code) }
                }
            } catch {
                try? Files.removeTree(temporary)
                throw error
            }
            try? Files.removeTree(temporary)  // lost the race: someone else made it
        }
        guard let stored = try read(name) else { throw BerthError(.notFound, "get \(name): no such volume") }
        return stored
    }

    /// - Throws: `.notFound` "get NAME: no such volume".
    public func inspect(_ name: String) throws -> Volume {
        guard ContainerName.isValid(name), let volume = try read(name) else {
            throw BerthError(.notFound, "get \(name): no such volume")
        }
        return volume
    }

    /// Every volume, by name.
    public func list() throws -> [Volume] {
        try Files.listDirectories(volumesPath).filter(ContainerName.isValid).compactMap { try read($0) }
            .sorted { $0.name < $1.name }
    }

    /// Removes the volume and its data. `usedBy` lists the containers (ids) the engine found
    /// using it; when not empty, the volume stays.
    /// - Throws: `.notFound`; `.invalidState` "remove NAME: volume is in use - [ids]".
    public func remove(_ name: String, usedBy: [String] = []) throws {
        _ = try inspect(name)
        guard usedBy.isEmpty else {
            throw BerthError(.invalidState, "remove \(name): volume is in use - [\(usedBy.joined(separator: ", "))]")
        }
        let temporary = staging.newPath("remove", name)
        do {
            try renamePath(directory(name), temporary)
        } catch let error as BerthError where error.errno == ENOENT {
            throw BerthError(.notFound, "get \(name): no such volume")
        }
        try BerthError.wrap("remove volume \(name)") { try Files.removeTree(temporary) }
    }

    /// Removes tmp/ entries of processes that are gone; returns their names.
    @discardableResult
    public func reconcile() throws -> [String] { try staging.removeOrphans() }

    private func read(_ name: String) throws -> Volume? {
        let bytes: [UInt8]
        do { bytes = try Files.read("\(directory(name))/volume.json") } catch let error as BerthError where error.errno == ENOENT || error.errno == ENOTDIR {
            return nil
        }
        return try BerthError.wrap("read volume \(name)") { try LiteJSONDecoder().decode(Volume.self, from: bytes) }
    }
}
