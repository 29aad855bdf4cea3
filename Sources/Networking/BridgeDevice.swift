import Diagnostics
import LinuxSyscalls

/// A network's Linux bridge, made when the network is (the bridge plugin would make it only at
/// the first container): its subnet is then a host route at once, so that another state root
/// on the host picking a subnet sees it taken.
public enum BridgeDevice {
    /// Makes the bridge with the gateway address and brings it up; an existing one is kept.
    /// - Throws: `.external` with ip's message.
    public static func create(_ network: NetworkDefinition) throws {
        guard !Files.exists("/sys/class/net/\(network.bridge)"), let subnet = network.ipv4Subnet else { return }
        let commands = """
        link add \(network.bridge) type bridge
        addr add \(network.gateway)/\(subnet.prefixLength) dev \(network.bridge)
        link set \(network.bridge) up

        """
        let result = try HelperProgram.run(["/usr/sbin/ip", "-batch", "-"], input: Array(commands.utf8))
        if result.status != 0 {
            _ = try? HelperProgram.run(["/usr/sbin/ip", "link", "delete", network.bridge, "type", "bridge"])
            throw BerthError(.external, "network \(network.name): make bridge \(network.bridge): \(result.stderrText.trimmingTrailingNewlines)")
        }
    }
}
