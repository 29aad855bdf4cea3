import Diagnostics
import LinuxSyscalls
import LiteJSON
@testable import Networking
import XCTest

final class CNIConfigTests: XCTestCase {
    let network = NetworkDefinition(name: "web", id: String(repeating: "ab", count: 32), subnet: "10.97.3.0/24",
                                    gateway: "10.97.3.1", bridge: "br-abababababab", created: "2026-01-01T00:00:00Z")

    func text(_ value: JSONValue) -> String { String(decoding: value.serialized(), as: UTF8.self) }

    func testBridgeGolden() {
        XCTAssertEqual(text(CNIConfig.bridge(network, ipamDirectory: "/var/lib/berth/networks/cni/ipam")), """
        {"cniVersion":"1.0.0","name":"web","type":"bridge","bridge":"br-abababababab","isGateway":true,"ipMasq":false,\
        "hairpinMode":true,"ipam":{"type":"host-local","ranges":[[{"subnet":"10.97.3.0/24","gateway":"10.97.3.1"}]],\
        "routes":[{"dst":"0.0.0.0/0"}],"dataDir":"/var/lib/berth/networks/cni/ipam"}}
        """)
    }

    func testInternalBridgeHasNoRouteAndNoMasquerade() {
        var internalNetwork = network
        internalNetwork.internal = true
        XCTAssertEqual(text(CNIConfig.bridge(internalNetwork, ipamDirectory: "/s/ipam")), """
        {"cniVersion":"1.0.0","name":"web","type":"bridge","bridge":"br-abababababab","isGateway":true,"ipMasq":false,\
        "hairpinMode":true,"ipam":{"type":"host-local","ranges":[[{"subnet":"10.97.3.0/24","gateway":"10.97.3.1"}]],\
        "dataDir":"/s/ipam"}}
        """)
    }

    func testPortmapLoopbackGolden() {
        let mappings = [PortMapping(hostIP: "127.0.0.1", hostPort: 8080, containerPort: 80),
                        PortMapping(hostPort: 5353, containerPort: 53, proto: "udp")]
        XCTAssertEqual(text(CNIConfig.portmap(network, portMappings: mappings)), """
        {"cniVersion":"1.0.0","name":"web","type":"portmap","snat":true,"capabilities":{"portMappings":true},\
        "runtimeConfig":{"portMappings":[{"hostPort":8080,"containerPort":80,"protocol":"tcp","hostIP":"127.0.0.1"},\
        {"hostPort":5353,"containerPort":53,"protocol":"udp","hostIP":""}]}}
        """)
        XCTAssertEqual(text(CNIConfig.loopback), #"{"cniVersion":"1.0.0","name":"lo","type":"loopback"}"#)
    }

    func testChainedAddsPrevResult() {
        let previous: JSONValue = ["cniVersion": "1.0.0", "ips": []]
        XCTAssertEqual(text(CNIConfig.chained(CNIConfig.loopback, previous: previous)), """
        {"cniVersion":"1.0.0","name":"lo","type":"loopback","prevResult":{"cniVersion":"1.0.0","ips":[]}}
        """)
    }

    func testChainSkipsPortmapWithoutMappings() {
        let driver = CNIDriver(stateDirectory: "/s")
        XCTAssertEqual(driver.chain(network, portMappings: []).map { $0["type"]?.stringValue }, ["bridge"])
        XCTAssertEqual(driver.chain(network, portMappings: [PortMapping(hostPort: 1, containerPort: 2)]).map { $0["type"]?.stringValue },
                       ["bridge", "portmap"])
    }

    func testAttachmentFromResult() throws {
        let result = try JSONParser.parse("""
        {"cniVersion":"1.0.0","interfaces":[{"name":"br-abababababab","mac":"76:de:00:1f:c1:4b"},
        {"name":"veth5287e9dd","mac":"fe:6d:f7:fb:76:77"},{"name":"eth0","mac":"3a:cd:d3:e7:61:13","sandbox":"/x"}],
        "ips":[{"interface":2,"address":"10.97.3.2/24","gateway":"10.97.3.1"}],"routes":[{"dst":"0.0.0.0/0"}],"dns":{}}
        """)
        XCTAssertEqual(try CNIDriver.attachment(from: result, network: network, interface: "eth0"), Attachment(
            network: "web", networkID: network.id, ip: "10.97.3.2", prefixLength: 24, gateway: "10.97.3.1",
            mac: "3a:cd:d3:e7:61:13", interface: "eth0"))
    }

    func testPluginErrorBecomesExternalError() throws {
        let directory = try makeTemporaryDirectory("plugin")
        defer { try? Files.removeTree(directory) }
        let script = "#!/bin/sh\ncat >/dev/null\necho '{\"cniVersion\":\"1.0.0\",\"code\":11,\"msg\":\"failed to allocate\",\"details\":\"no IP addresses available\"}'\nexit 1\n"
        try Files.create("\(directory)/bridge", Array(script.utf8), mode: 0o755)
        try Files.create("\(directory)/loopback", Array("#!/bin/sh\ncat >/dev/null\necho '{}'\n".utf8), mode: 0o755)
        let driver = CNIDriver(pluginDirectory: directory, stateDirectory: "\(directory)/state")
        XCTAssertThrowsError(try driver.add(network: network, containerID: "c1", netnsPath: "/nonexistent")) {
            XCTAssertEqual($0 as? BerthError,
                           BerthError(.external, "network web: bridge: failed to allocate: no IP addresses available"))
        }
        XCTAssertThrowsError(try driver.add(network: network, containerID: "c1", netnsPath: "/x", staticIP: "10.1.1.1")) {
            XCTAssertEqual(($0 as? BerthError)?.code, .invalidArgument)
        }
    }

    func testIsolationRules() {
        var other = network
        other.bridge = "br-cdcdcdcdcdcd"
        other.internal = true
        XCTAssertEqual(Isolation.rules(for: [network, other], chain: "BERTH-FORWARD"), [
            "-A BERTH-FORWARD -i br-abababababab -o br-cdcdcdcdcdcd -j DROP",
            "-A BERTH-FORWARD -i br-cdcdcdcdcdcd -o br-abababababab -j DROP",
            "-A BERTH-FORWARD -i br-cdcdcdcdcdcd ! -o br-cdcdcdcdcdcd -j DROP",
            "-A BERTH-FORWARD ! -i br-cdcdcdcdcdcd -o br-cdcdcdcdcdcd -j DROP",
            "-A BERTH-FORWARD -i br-abababababab -j ACCEPT",
            "-A BERTH-FORWARD -o br-abababababab -m conntrack --ctstate RELATED,ESTABLISHED,DNAT -j ACCEPT",
            "-A BERTH-FORWARD -i br-cdcdcdcdcdcd -o br-cdcdcdcdcdcd -j ACCEPT",
            "-A BERTH-FORWARD -j RETURN",
        ])
        XCTAssertEqual(Isolation.natRules(for: [network, other], chain: "BERTH-POSTROUTING"), [
            "-A BERTH-POSTROUTING -s 10.97.3.0/24 ! -o br-abababababab -j MASQUERADE",
            "-A BERTH-POSTROUTING -j RETURN",
        ])
    }

    func testDefinitionRoundTripsThroughJSON() throws {
        let bytes = try LiteJSONEncoder().encode(network)
        XCTAssertEqual(try LiteJSONDecoder().decode(NetworkDefinition.self, from: bytes), network)
        let attachment = Attachment(network: "web", networkID: network.id, ip: "10.97.3.2", prefixLength: 24,
                                    gateway: "10.97.3.1", mac: "aa:bb:cc:dd:ee:ff", aliases: ["web", "abc"])
        XCTAssertEqual(try LiteJSONDecoder().decode(Attachment.self, from: try LiteJSONEncoder().encode(attachment)), attachment)
    }
}
