import Diagnostics
import LiteJSON

/// A container's life-cycle state, with docker's names.
public enum ContainerState: String, Codable, Sendable, Equatable {
    case created, running, paused, restarting, exited, dead, removing
}

/// What the engine knows about one container: `<root>/containers/<id>/container.json`.
///
/// `name` is stored without docker's leading "/". `config` is the engine's own JSON (the OCI
/// spec inputs, host config, ...), kept opaque here. `creating`, `creatorPid` and
/// `creatorStartTime` are set while ``ContainerStore/create(name:image:imageID:config:labels:)``
/// runs, so that ``ContainerStore/reconcile()`` can tell a half-made record from one being made.
public struct ContainerRecord: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
    /// The image reference as the user gave it ("busybox", "busybox:latest").
    public var image: String
    /// The image's config digest ("sha256:<hex>").
    public var imageID: String
    /// RFC 3339, UTC.
    public var created: String
    public var state: ContainerState
    /// The container's init process in the host pid namespace; 0 when not running.
    public var pid: Int32
    /// `pid`'s start time (see `Processes.startTime`), to tell it from a later process with its pid.
    public var pidStartTime: UInt64?
    public var exitCode: Int32
    public var startedAt: String?
    public var finishedAt: String?
    public var restartCount: Int
    /// The per-container monitor; 0 when none.
    public var monitorPid: Int32
    public var monitorStartTime: UInt64?
    public var labels: [String: String]
    /// Set by `stop`/`kill`: the restart policy must not bring the container back (docker's
    /// HasBeenManuallyStopped); cleared by `start`.
    public var manuallyStopped: Bool
    /// Why the container could not start or was stopped by the engine (docker's State.Error).
    public var error: String?
    public var creating: Bool
    public var creatorPid: Int32?
    public var creatorStartTime: UInt64?
    /// Opaque to the store; written as the "config" member of container.json.
    public var config: JSONValue = .null

    enum CodingKeys: String, CodingKey {
        case id, name, image, imageID, created, state, pid, pidStartTime, exitCode, startedAt, finishedAt
        case restartCount, monitorPid, monitorStartTime, labels, manuallyStopped, error
        case creating, creatorPid, creatorStartTime
    }

    public init(id: String, name: String, image: String, imageID: String, created: String,
                config: JSONValue = .null, labels: [String: String] = [:]) {
        self.id = id
        self.name = name
        self.image = image
        self.imageID = imageID
        self.created = created
        state = .created
        pid = 0
        exitCode = 0
        restartCount = 0
        monitorPid = 0
        self.labels = labels
        manuallyStopped = false
        creating = false
        self.config = config
    }
}

extension ContainerRecord {
    /// container.json: the coded fields plus "config" (JSONValue is not Codable), kept as given.
    func serialized() throws -> [UInt8] {
        guard case .object(var members) = try LiteJSONEncoder().encodeToValue(self) else {
            throw BerthError(.internalError, "encode container \(id): not an object")
        }
        members.append(("config", config))
        return JSONValue.object(members).serialized()
    }

    static func parse(_ bytes: [UInt8]) throws -> ContainerRecord {
        let value = try JSONParser.parse(bytes)
        var record = try LiteJSONDecoder().decode(ContainerRecord.self, from: value)
        record.config = value["config"] ?? .null
        return record
    }
}
