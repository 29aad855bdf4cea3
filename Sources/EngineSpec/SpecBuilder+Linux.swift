import Diagnostics
import OCIRuntimeSpec

extension SpecBuilder {
    /// pid, ipc, uts and mount, plus network unless `--network host`: the namespace the engine
    /// prepared (its bridge networks, or another container's), else a new, empty one.
    static func namespaces(_ options: RunOptions, networkPath: String?) -> [Namespace] {
        var namespaces = [NamespaceType.pid, .ipc, .uts, .mount].map { Namespace(type: $0) }
        if options.network != "host" { namespaces.append(Namespace(type: .network, path: networkPath)) }
        return namespaces
    }

    /// docker's device rules: deny everything, then allow mknod of any device and the standard
    /// nodes (null, zero, full, random, urandom, tty, console, ptmx, pts/*, net/tun);
    /// everything when privileged.
    static func deviceRules(privileged: Bool) -> [DeviceRule] {
        if privileged { return [DeviceRule(allow: true, access: "rwm")] }
        let char = { (major: Int64, minor: Int64?) in DeviceRule(allow: true, type: "c", major: major, minor: minor, access: "rwm") }
        return [
            DeviceRule(allow: false, access: "rwm"),
            DeviceRule(allow: true, type: "c", access: "m"), DeviceRule(allow: true, type: "b", access: "m"),
            char(1, 3), char(1, 5), char(1, 7), char(1, 8), char(1, 9), char(5, 0), char(5, 1), char(5, 2),
            char(136, nil), char(10, 200),
        ]
    }

    /// Memory, swap, CPU and pids limits, with docker's checks.
    /// - Throws: `BerthError(.invalidArgument)`: `minimum memory limit allowed is 6mb`.
    static func resources(_ options: RunOptions) throws(BerthError) -> Resources {
        var resources = Resources(devices: deviceRules(privileged: options.privileged))
        let memory = try options.memory.map { (text) throws(BerthError) in try MemoryBytes.parse(text) }
        let swap = try options.memorySwap.map { (text) throws(BerthError) in try MemoryBytes.parseSwap(text) }
        if let memory, memory > 0 {
            guard memory >= 6 * 1024 * 1024 else { throw .invalid("minimum memory limit allowed is 6mb") }
            var limits = MemoryResources(limit: memory)
            if let swap, swap > 0 {
                guard swap >= memory else {
                    throw .invalid("minimum memoryswap limit should be larger than memory limit, see usage")
                }
                limits.swap = swap
            } else if swap == -1 {
                limits.swap = -1
            } else {
                limits.swap = memory * 2   // docker: as much swap as memory
            }
            resources.memory = limits
        } else if let swap, swap != 0 {
            throw .invalid("you should always set the memory limit when using memoryswap limit, see usage")
        }
        var cpu = CPUResources(shares: options.cpuShares, cpus: options.cpusetCpus)
        if let text = options.cpus, let quota = try CPUQuota.parse(text) {
            cpu.quota = quota.quota
            cpu.period = quota.period
        }
        if cpu != CPUResources() { resources.cpu = cpu }
        if let pids = options.pidsLimit, pids != 0 { resources.pids = PidsResources(limit: pids < 0 ? -1 : pids) }
        return resources
    }
}
