import Diagnostics
import LinuxSyscalls
import LiteJSON
import OCIRuntimeSpec

/// What the runtime remembers about a container between commands: `<root>/<id>/state.json`,
/// always replaced atomically.
public struct ContainerRecord: Codable, Sendable {
    public var id: String
    public var bundle: String
    public var rootfs: String
    /// The init's host pid and its start time, which tells it apart from a later process
    /// that reuses the pid.
    public var pid: Int32
    public var pidStartTime: UInt64
    public var created: String
    public var annotations: [String: String]?
    public var owner: String
    /// The hooks that run after `create`: poststart and poststop.
    public var hooks: Hooks?
    /// The spec's cgroupsPath after defaults (what the cgroup manager is rebuilt from).
    public var cgroupsPath: String
    /// Hierarchy name → the container's cgroup directory.
    public var cgroupPaths: [String: String]
    /// The container has a PID namespace of its own: killing the init kills everything.
    public var ownPidNamespace: Bool

    static let fileName = "state.json"

    func save(in directory: String) throws {
        let bytes = try LiteJSONEncoder().encode(self)
        try Files.writeAtomically("\(directory)/\(ContainerRecord.fileName)", bytes)
    }

    static func load(from directory: String, id: String) throws -> ContainerRecord {
        let path = "\(directory)/\(fileName)"
        let bytes: [UInt8]
        do {
            bytes = try Files.read(path)
        } catch let error as BerthError where error.code == .notFound {
            throw BerthError(.notFound, "container \(id) does not exist")
        }
        do {
            return try LiteJSONDecoder().decode(ContainerRecord.self, from: bytes)
        } catch {
            throw BerthError(.internalError, "container \(id): corrupt state file \(path): \(error)")
        }
    }
}
