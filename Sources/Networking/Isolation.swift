import Diagnostics
import LinuxSyscalls

/// The iptables rules of berth's networks, written per network, never per container:
///
/// - filter: a chain (BERTH-FORWARD) jumped to from the top of FORWARD. Traffic between two
///   berth bridges is dropped (docker's DOCKER-ISOLATION); an internal network's bridge talks
///   only to itself; other networks' traffic out of the bridge, replies to it, and connections
///   published ports DNAT to it are accepted (so a host whose FORWARD policy is DROP works).
/// - nat: a chain (BERTH-POSTROUTING) jumped to from POSTROUTING that masquerades what leaves a
///   non-internal network's subnet through another interface (its egress NAT).
///
/// Every change is one `iptables-save` (to see what is there) and one `iptables-restore
/// --noflush` (a few ms), instead of one `iptables` process per rule.
public struct Isolation: Sendable {
    /// The filter chain's name; tests use their own.
    public let chain: String
    /// The nat chain's name.
    public let natChain: String
    public let iptablesRestore: String
    public let iptablesSave: String

    public init(chain: String = "BERTH-FORWARD", natChain: String = "BERTH-POSTROUTING",
                iptablesRestore: String = "/usr/sbin/iptables-restore", iptablesSave: String = "/usr/sbin/iptables-save") {
        self.chain = chain
        self.natChain = natChain
        self.iptablesRestore = iptablesRestore
        self.iptablesSave = iptablesSave
    }

    /// The filter chain's rules for `networks`, in iptables-save form, ending in RETURN.
    public static func rules(for networks: [NetworkDefinition], chain: String) -> [String] {
        var rules: [String] = []
        for network in networks {
            for other in networks where other.bridge != network.bridge {
                rules.append("-A \(chain) -i \(network.bridge) -o \(other.bridge) -j DROP")
            }
            if network.internal {
                rules.append("-A \(chain) -i \(network.bridge) ! -o \(network.bridge) -j DROP")
                rules.append("-A \(chain) ! -i \(network.bridge) -o \(network.bridge) -j DROP")
            }
        }
        for network in networks {
            if network.internal {
                rules.append("-A \(chain) -i \(network.bridge) -o \(network.bridge) -j ACCEPT")
            } else {
                rules.append("-A \(chain) -i \(network.bridge) -j ACCEPT")
                rules.append("-A \(chain) -o \(network.bridge) -m conntrack --ctstate RELATED,ESTABLISHED,DNAT -j ACCEPT")
            }
        }
        rules.append("-A \(chain) -j RETURN")
        return rules
    }

    /// The nat chain's rules: egress masquerading of every non-internal network.
    public static func natRules(for networks: [NetworkDefinition], chain: String) -> [String] {
        networks.filter { !$0.internal }.map { "-A \(chain) -s \($0.subnet) ! -o \($0.bridge) -j MASQUERADE" }
            + ["-A \(chain) -j RETURN"]
    }

    /// Rewrites both chains for `networks` (all of berth's) and makes sure FORWARD and
    /// POSTROUTING jump to them first.
    /// - Throws: `.external` when iptables-restore fails.
    public func apply(_ networks: [NetworkDefinition]) throws {
        let current = try saved()
        var input = ["*filter", ":\(chain) - [0:0]"]  // declaring flushes it under --noflush
        input += jumpFirst("FORWARD", to: chain, in: current.filter)
        input += Self.rules(for: networks, chain: chain)
        input += ["COMMIT", "*nat", ":\(natChain) - [0:0]"]
        input += jumpFirst("POSTROUTING", to: natChain, in: current.nat)
        input += Self.natRules(for: networks, chain: natChain)
        input.append("COMMIT")
        try restore(input)
    }

    /// Removes the jumps and the chains; for when no network is left. Nothing there is fine.
    /// - Throws: `.external` when iptables-restore fails.
    public func removeAll() throws {
        let current = try saved()
        var input: [String] = []
        for (table, builtin, name, lines) in [("filter", "FORWARD", chain, current.filter), ("nat", "POSTROUTING", natChain, current.nat)]
            where lines.contains(where: { $0.hasPrefix(":\(name) ") }) {
            input.append("*\(table)")
            let jumps = lines.filter { $0 == "-A \(builtin) -j \(name)" }.count
            input += Array(repeating: "-D \(builtin) -j \(name)", count: jumps)
            input += [":\(name) - [0:0]", "-X \(name)", "COMMIT"]
        }
        guard !input.isEmpty else { return }
        try restore(input)
    }

    /// The jump from `builtin` to `target` as its first rule: moved there when it is elsewhere.
    func jumpFirst(_ builtin: String, to target: String, in lines: [String]) -> [String] {
        let jump = "-A \(builtin) -j \(target)"
        let rules = lines.filter { $0.hasPrefix("-A \(builtin) ") }
        guard rules.first != jump else { return [] }
        return (rules.contains(jump) ? ["-D \(builtin) -j \(target)"] : []) + ["-I \(builtin) 1 -j \(target)"]
    }

    /// The filter and nat tables as iptables-save prints them.
    func saved() throws -> (filter: [String], nat: [String]) {
        try BerthError.wrap("isolation: iptables-save") {
            let filter = try HelperProgram.check([iptablesSave, "-t", "filter"]).stdoutText
            let nat = try HelperProgram.check([iptablesSave, "-t", "nat"]).stdoutText
            return (filter.split(separator: "\n").map(String.init), nat.split(separator: "\n").map(String.init))
        }
    }

    func restore(_ lines: [String]) throws {
        _ = try BerthError.wrap("isolation: iptables-restore") {
            try HelperProgram.check([iptablesRestore, "-w", "--noflush"], input: Array((lines.joined(separator: "\n") + "\n").utf8))
        }
    }
}
