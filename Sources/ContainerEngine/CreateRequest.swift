import EngineSpec

/// What `berth create` / `berth run` ask for: the image, docker's flags and the engine-level
/// options that are not part of the OCI spec.
public struct CreateRequest: Sendable {
    /// The image as the user named it (already in the store: the CLI pulls missing images first).
    public var image: String
    public var options: RunOptions
    /// `--name`; nil for a generated one.
    public var name: String?
    /// `--restart` ("no" when not given).
    public var restartPolicy: String
    /// `--rm`.
    public var autoRemove: Bool
    /// `--log-opt`.
    public var logOptions: [String]
    /// The caller's environment, for `-e NAME` and env-file lines without a value.
    public var callerEnvironment: [String: String]

    public init(image: String, options: RunOptions, name: String? = nil, restartPolicy: String = "no",
                autoRemove: Bool = false, logOptions: [String] = [], callerEnvironment: [String: String] = [:]) {
        self.image = image
        self.options = options
        self.name = name
        self.restartPolicy = restartPolicy
        self.autoRemove = autoRemove
        self.logOptions = logOptions
        self.callerEnvironment = callerEnvironment
    }
}
