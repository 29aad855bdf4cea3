import Diagnostics

extension CNIDriver {
    /// Brings `lo` up in a namespace that joins no network (`--network none`): the loopback plugin alone.
    /// - Throws: `.external` when the plugin fails.
    public func bringUpLoopback(containerID: String, netnsPath: String) throws {
        let env = environment("ADD", containerID: containerID, netnsPath: netnsPath, interface: "lo")
        _ = try invoke("loopback", config: CNIConfig.loopback, environment: env, network: "none")
    }
}
