import ArgumentParser
import ContainerEngine
import EngineSpec

#if canImport(Glibc)
import Glibc
#endif

/// The flags `berth create` and `berth run` share, with docker's names.
struct ContainerFlags: ParsableArguments {
    @Flag(name: .shortAndLong, help: "Keep STDIN open even if not attached.") var interactive = false
    @Flag(name: .shortAndLong, help: "Allocate a pseudo-TTY.") var tty = false
    @Flag(name: .long, help: "Automatically remove the container when it exits.") var rm = false
    @Option(name: .long, help: "Assign a name to the container.") var name: String?
    @Option(name: [.short, .long], help: "Set environment variables.") var env: [String] = []
    @Option(name: .customLong("env-file"), help: "Read in a file of environment variables.") var envFile: [String] = []
    @Option(name: [.short, .long], help: "Working directory inside the container.") var workdir: String?
    @Option(name: [.short, .long], help: "Username or UID (format: <name|uid>[:<group|gid>]).") var user: String?
    @Option(name: [.customShort("h"), .long], help: "Container host name.") var hostname: String?
    @Option(name: .long, help: "Overwrite the default ENTRYPOINT of the image.") var entrypoint: String?
    @Option(name: [.short, .long], help: "Bind mount a volume.") var volume: [String] = []
    @Option(name: .long, help: "Attach a filesystem mount to the container.") var mount: [String] = []
    @Option(name: .long, help: "Mount a tmpfs directory.") var tmpfs: [String] = []
    @Flag(name: .customLong("read-only"), help: "Mount the container's root filesystem as read only.") var readOnly = false
    @Option(name: [.customShort("m"), .long], parsing: .unconditional, help: "Memory limit.") var memory: String?
    @Option(name: .customLong("memory-swap"), parsing: .unconditional, help: "Swap limit equal to memory plus swap: '-1' to enable unlimited swap.") var memorySwap: String?
    @Option(name: .long, parsing: .unconditional, help: "Number of CPUs.") var cpus: String?
    @Option(name: [.customShort("c"), .customLong("cpu-shares")], parsing: .unconditional, help: "CPU shares (relative weight).") var cpuShares: String?
    @Option(name: .customLong("cpuset-cpus"), help: "CPUs in which to allow execution (0-3, 0,1).") var cpusetCpus: String?
    @Option(name: .customLong("pids-limit"), parsing: .unconditional, help: "Tune container pids limit (set -1 for unlimited).") var pidsLimit: String?
    @Option(name: .long, help: "Ulimit options.") var ulimit: [String] = []
    @Option(name: .customLong("cap-add"), help: "Add Linux capabilities.") var capAdd: [String] = []
    @Option(name: .customLong("cap-drop"), help: "Drop Linux capabilities.") var capDrop: [String] = []
    @Flag(name: .long, help: "Give extended privileges to this container.") var privileged = false
    @Option(name: .customLong("security-opt"), help: "Security options.") var securityOpt: [String] = []
    @Option(name: .long, help: "Restart policy to apply when a container exits.") var restart = "no"
    @Option(name: [.customShort("l"), .long], help: "Set meta data on a container.") var label: [String] = []
    @Option(name: .customLong("stop-signal"), help: "Signal to stop the container.") var stopSignal: String?
    @Option(name: .customLong("stop-timeout"), parsing: .unconditional, help: "Timeout (in seconds) to stop a container.") var stopTimeout: String?
    @Flag(name: .long, help: "Run an init inside the container that forwards signals and reaps processes.") var `init` = false
    @Option(name: [.long, .customLong("net")], help: "Connect a container to a network (bridge, NAME, none, host, container:NAME).") var network = "bridge"
    @Option(name: [.customLong("network-alias"), .customLong("net-alias")], help: "Add network-scoped alias for the container.") var networkAlias: [String] = []
    @Option(name: .long, help: "IPv4 address (e.g., 172.30.100.104).") var ip: String?
    @Option(name: [.short, .long], help: "Publish a container's port(s) to the host.") var publish: [String] = []
    @Flag(name: [.customShort("P"), .customLong("publish-all")], help: "Publish all exposed ports to random ports.") var publishAll = false
    @Option(name: .long, help: "Set custom DNS servers.") var dns: [String] = []
    @Option(name: .customLong("dns-search"), help: "Set custom DNS search domains.") var dnsSearch: [String] = []
    @Option(name: [.customLong("dns-option"), .customLong("dns-opt")], help: "Set DNS options.") var dnsOption: [String] = []
    @Option(name: .customLong("add-host"), help: "Add a custom host-to-IP mapping (host:ip).") var addHost: [String] = []
    @Option(name: .customLong("log-opt"), help: "Log driver options.") var logOpt: [String] = []
    @Option(name: .customLong("log-driver"), help: "Logging driver for the container (json-file).") var logDriver = "json-file"
    @Option(name: .long, help: "Pull image before running (\"always\", \"missing\", \"never\").") var pull = "missing"
    @Flag(name: .shortAndLong, help: "Suppress the pull output.") var quiet = false

    /// The request for the engine; `image` and `command` come from the positional arguments.
    func request(image: String, command: [String]) throws -> CreateRequest {
        guard logDriver == "json-file" else {
            throw EngineFailure("logging driver \(logDriver.debugDescription) is not supported (only json-file)", exitCode: 125)
        }
        var options = RunOptions()
        options.interactive = interactive
        options.tty = tty
        options.env = env
        options.envFiles = envFile
        options.workdir = workdir
        options.user = user
        options.hostname = hostname
        options.entrypoint = entrypoint
        options.command = command
        options.volumes = volume
        options.mounts = mount
        options.tmpfs = tmpfs
        options.readOnly = readOnly
        options.memory = memory
        options.memorySwap = memorySwap
        options.cpus = cpus
        options.cpuShares = try cpuShares.map { try Self.integer($0, flag: "-c, --cpu-shares", as: UInt64.self) }
        options.cpusetCpus = cpusetCpus
        options.pidsLimit = try pidsLimit.map { try Self.integer($0, flag: "--pids-limit", as: Int64.self) }
        options.ulimits = ulimit
        options.capAdd = capAdd
        options.capDrop = capDrop
        options.privileged = privileged
        options.securityOpts = securityOpt
        options.labels = label
        options.stopSignal = stopSignal
        options.stopTimeout = try stopTimeout.map { try Self.integer($0, flag: "--stop-timeout", as: Int.self) }
        options.initProcess = `init`
        options.network = network
        options.networkAliases = networkAlias
        options.ip = ip
        options.publish = publish
        options.publishAll = publishAll
        options.dns = dns
        options.dnsSearch = dnsSearch
        options.dnsOptions = dnsOption
        options.addHosts = addHost
        return CreateRequest(image: image, options: options, name: name, restartPolicy: restart, autoRemove: rm,
                             logOptions: logOpt, callerEnvironment: callerEnvironment())
    }
}

extension ContainerFlags {
    /// docker's (pflag's) wording for a bad number: `invalid argument "abc" for "--pids-limit" flag:
    /// strconv.ParseInt: parsing "abc": invalid syntax`.
    static func integer<T: FixedWidthInteger>(_ text: String, flag: String, as: T.Type) throws -> T {
        guard let value = T(text) else {
            let parser = T.isSigned ? "ParseInt" : "ParseUint"
            throw EngineFailure("invalid argument \"\(text)\" for \"\(flag)\" flag: strconv.\(parser): parsing \"\(text)\": invalid syntax",
                                exitCode: 125)
        }
        return value
    }
}

/// This process's environment.
func callerEnvironment() -> [String: String] {
    var result: [String: String] = [:]
    var entry = environ
    while let pointer = entry.pointee {
        let text = String(cString: pointer)
        if let equals = text.firstIndex(of: "=") { result[String(text[..<equals])] = String(text[text.index(after: equals)...]) }
        entry += 1
    }
    return result
}
