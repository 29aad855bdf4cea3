/// A named volume: `<root>/volumes/<name>/volume.json`, coded with docker's `volume inspect` keys.
public struct Volume: Codable, Sendable, Equatable {
    public var name: String
    /// Always "local".
    public var driver: String
    /// `<root>/volumes/<name>/_data`.
    public var mountpoint: String
    /// RFC 3339, UTC.
    public var created: String
    public var labels: [String: String]
    /// The local driver's options (type, device, o), as given.
    public var options: [String: String]
    public var scope: String

    enum CodingKeys: String, CodingKey {
        case name = "Name", driver = "Driver", mountpoint = "Mountpoint", created = "CreatedAt"
        case labels = "Labels", options = "Options", scope = "Scope"
    }

    public init(name: String, mountpoint: String, created: String, labels: [String: String] = [:],
                options: [String: String] = [:]) {
        self.name = name
        driver = "local"
        self.mountpoint = mountpoint
        self.created = created
        self.labels = labels
        self.options = options
        scope = "local"
    }

    /// docker's label on the volumes it makes for `-v /path` without a source.
    public static let anonymousLabel = "com.docker.volume.anonymous"
}
