import ContainerFiles
import ContainerLogs
import ContainerMonitor
import Diagnostics
import EngineSpec
import EngineState
import ImageSpec
import LinuxSyscalls
import LiteJSON
import OCIRuntimeSpec

#if canImport(Glibc)
import Glibc
#endif

/// A container `start` has launched: its monitor waits for `go()` after the caller attached.
public final class StartedContainer {
    public let record: ContainerRecord
    /// nil when the container was running already.
    let session: MonitorSession?
    /// The monitor's directory, for attaching.
    public let directory: String
    let name: String

    init(record: ContainerRecord, session: MonitorSession?, directory: String, name: String) {
        self.record = record
        self.session = session
        self.directory = directory
        self.name = name
    }

    /// True when this start launched the container (false: it was running already).
    public var launched: Bool { session != nil }

    /// Lets the container's process run; throws the runtime's error when it cannot start.
    public func go() throws {
        do {
            try session?.start()
        } catch let error as BerthError {
            throw Engine.startFailure(error, id: record.id, name: name)
        }
    }

    /// Reaps the monitor once it has exited (it is our child until then); `wait` blocks until it has.
    public func release(wait: Bool = false) {
        session?.release(wait: wait)
    }
}

extension Engine {
    /// `berth start`: mounts the root file system, writes the bundle (config.json and the /etc
    /// files) and launches the container's monitor, which creates the container with the runtime.
    /// The process runs once `go()` is called, so that a caller can attach first.
    /// - Throws: the runtime's error (e.g. an unknown user, a missing executable).
    public func start(_ idOrName: String) throws -> StartedContainer {
        let found = try container(idOrName)
        let dir = directory(found.id)
        let lock = try FileLock.exclusive("\(dir)/start.lock")
        defer { lock.unlock() }
        var record = try refresh(try containers.load(found.id))
        // A monitor still finishing the last run (runtime delete, unmount) must be gone first.
        if record.state == .exited || record.state == .created, monitorIsAlive(record) {
            waitForMonitor(record, seconds: 10)
            record = try refresh(try containers.load(found.id))
        }
        switch record.state {
        case .running, .paused, .restarting:
            return StartedContainer(record: record, session: nil, directory: dir, name: record.name)
        case .removing, .dead:
            throw BerthError(.invalidState, "container \(record.name) is marked for removal and cannot be started")
        case .created, .exited:
            break
        }
        let settings = try settings(of: record)
        record = try containers.update(record.id) {
            $0.manuallyStopped = false
            $0.error = nil
        }
        do {
            try prepareBundle(record, settings)
            let config = try monitorConfig(record, settings)
            let session = try MonitorLauncher.launch(executable: monitorPath, configPath: "\(dir)/monitor.json", config: config)
            return StartedContainer(record: try containers.load(record.id), session: session, directory: dir,
                                    name: record.name)
        } catch let error as BerthError {
            let failure = Self.startFailure(error, id: record.id, name: record.name)
            _ = try? containers.update(record.id) { $0.error = failure.message }
            if !isActive(record.id) {
                try? tearDownNetwork(record.id)
                try? unmountRootfs(record.id)
            }
            throw failure
        }
    }

    /// Mounts the rootfs and writes config.json, hosts, hostname and resolv.conf into `<dir>`.
    func prepareBundle(_ record: ContainerRecord, _ settings: ContainerSettings) throws {
        let dir = directory(record.id)
        try mountRootfs(record)
        let image = try images.image(record.imageID)
        let rootfs = rootfsPath(record.id)
        let hostNetwork = settings.options.network == "host"
        // docker: the host's name with --network host, else the short id.
        let hostname = settings.options.hostname ?? (hostNetwork ? Self.hostName() : String(record.id.prefix(12)))

        var resolved = ResolvedInputs(rootfsPath: rootfs, defaultHostname: hostname)
        resolved.cgroupsPath = "/\(cgroupParent)/\(record.id)"
        let userSpec = SpecBuilder.userSpec(image: image.config, options: settings.options)
        let passwd = try? RootfsFile.readString(rootfs, "/etc/passwd")
        resolved.user = try BerthError.wrap("container \(record.name)") {
            try UserResolver.resolve(userSpec, passwd: passwd, group: try? RootfsFile.readString(rootfs, "/etc/group"))
        }
        let exposed = Array((image.config.config?.exposedPorts ?? [:]).keys)
        let network = try setUpNetwork(record, settings, image: exposed)
        resolved.networkNamespacePath = network.path
        // docker copies the host's /etc/hosts for --network host, and writes its own otherwise.
        let hosts = hostNetwork ? ((try? Files.readString("/etc/hosts")) ?? EtcFiles.hosts(hostname: hostname))
            : try hostsFile(record, hostname: hostname, state: network.state, options: settings.options)
        try Files.writeAtomically("\(dir)/hosts", Array(hosts.utf8), mode: 0o644)
        try Files.writeAtomically("\(dir)/hostname", Array(EtcFiles.hostname(hostname).utf8), mode: 0o644)
        let hostResolv = (try? Files.readString("/etc/resolv.conf")) ?? ""
        let options = settings.options
        let resolv = EtcFiles.resolvConf(hostResolvConf: hostResolv, hostNetwork: hostNetwork, dns: options.dns,
                                         search: options.dnsSearch, options: options.dnsOptions)
        try Files.writeAtomically("\(dir)/resolv.conf", Array(resolv.utf8), mode: 0o644)
        if let state = network.state { try refreshHostsFiles(networks: Set(state.networks)) }
        resolved.hostsPath = "\(dir)/hosts"
        resolved.hostnamePath = "\(dir)/hostname"
        resolved.resolvConfPath = "\(dir)/resolv.conf"
        for (key, name) in settings.volumes {
            let labels = settings.anonymousVolumes.contains(name) ? [Volume.anonymousLabel: ""] : [:]
            let volume = try volumes.create(name: name, labels: labels)
            resolved.volumePaths[key] = volume.mountpoint
        }
        try copyUpVolumes(settings, rootfs: rootfs, paths: resolved.volumePaths)
        resolved.seccompProfile = try seccompProfile(settings.options)
        resolved.initPath = settings.options.initProcess ? try Self.initBinary() : nil
        // docker's 1048576 open files, when this process may give it (raising a hard limit
        // needs CAP_SYS_RESOURCE, which a confined caller lacks); else runc's 1024.
        var limit = rlimit()
        resolved.raiseNofileLimit = getrlimit(RLIMIT_NOFILE_VALUE, &limit) == 0 && limit.rlim_max >= 1_048_576
        var spec = try SpecBuilder.build(image: image.config, options: settings.options, resolved: resolved)
        // --privileged asks for every capability; a confined engine can only give those it has
        // itself (containerd's WithAllCurrentCapabilities).
        if settings.options.privileged, let bounding = Self.currentBoundingSet(), var caps = spec.process?.capabilities {
            let keep = { (names: [String]?) in names?.filter { name in CapabilityName.number(name).map { bounding & (1 << UInt64($0)) != 0 } ?? false } }
            caps.bounding = keep(caps.bounding)
            caps.effective = keep(caps.effective)
            caps.permitted = keep(caps.permitted)
            caps.inheritable = keep(caps.inheritable)
            caps.ambient = keep(caps.ambient)
            spec.process?.capabilities = caps
        }
        // docker sets HOME from the user's passwd entry ("/" without one) unless the image or -e did.
        if var env = spec.process?.env, !env.contains(where: { $0.hasPrefix("HOME=") }) {
            env.append("HOME=" + Self.homeDirectory(uid: resolved.user.uid, passwd: passwd))
            spec.process?.env = env
        }
        try Files.writeAtomically("\(dir)/config.json", try spec.encode(), mode: 0o600)
    }

    func monitorConfig(_ record: ContainerRecord, _ settings: ContainerSettings) throws -> MonitorConfig {
        let dir = directory(record.id)
        let logOptions = try LogOptions.parse(settings.logOptions)
        try Files.makeDirectory(runtimeRoot, mode: 0o700)
        return MonitorConfig(
            storeRoot: root, containerID: record.id, containerDirectory: dir, runtimePath: runtimePath,
            runtimeRoot: runtimeRoot, runtimeLogPath: "\(dir)/runtime.log", bundle: dir, pidFile: "\(dir)/pid",
            tty: settings.options.tty, openStdin: settings.options.interactive, logPath: logPath(record.id),
            logMaxSize: logOptions.maxSize, logMaxFiles: logOptions.maxFiles, restartPolicy: settings.restartPolicy,
            rootfsPath: rootfsPath(record.id), autoRemove: settings.autoRemove, anonymousVolumes: settings.anonymousVolumes,
            exitCommand: settings.networks.isEmpty ? [] : enginePath.map { [$0, "--root", root, "container", "cleanup", record.id] } ?? [],
            networkNamespace: NetworkMode(settings.options.network) == .none ? "\(netnsDirectory)/\(record.id)" : nil)
    }

    /// docker's copy-up: an empty volume mounted over a directory of the image gets that
    /// directory's content (and keeps it), unless the mount says `nocopy`.
    func copyUpVolumes(_ settings: ContainerSettings, rootfs: String, paths: [String: String]) throws {
        for request in try mountRequests(settings.options) where request.kind == .volume && !request.options.contains("nocopy") {
            guard let host = paths[request.source ?? request.destination],
                  (try? Files.list(host))?.isEmpty == true,
                  (try? ContainerCopy.isDirectory(rootfs: rootfs, path: request.destination)) == true else { continue }
            try BerthError.wrap("copy \(request.destination) of the image into its volume") {
                try ContainerCopy.copyOut(rootfs: rootfs, path: request.destination + "/.", toHost: host, keepingOwnership: true)
            }
        }
    }

    /// The home directory of `uid` in /etc/passwd's content; "/" when it has none.
    static func homeDirectory(uid: UInt32, passwd: String?) -> String {
        for line in (passwd ?? "").split(separator: "\n") {
            let fields = line.split(separator: ":", omittingEmptySubsequences: false)
            if fields.count > 5, UInt32(fields[2]) == uid, !fields[5].isEmpty { return String(fields[5]) }
        }
        return "/"
    }

    /// This process's capability bounding set (CapBnd of /proc/self/status).
    static func currentBoundingSet() -> UInt64? {
        guard let status = try? Files.readString("/proc/self/status") else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("CapBnd:") {
            return UInt64(line.dropFirst(7).trimmingPrefix(while: { $0 == " " || $0 == "\t" }), radix: 16)
        }
        return nil
    }

    /// The host's name (uname's nodename).
    static func hostName() -> String {
        var names = utsname()
        uname(&names)
        return withUnsafeBytes(of: names.nodename) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }

    /// "start container web: exec: ...": the runtime's reason without the "create <id>: "
    /// prefixes the runtime and the monitor put in front of it.
    static func startFailure(_ error: BerthError, id: String, name: String) -> BerthError {
        var reason = Substring(error.message)
        while true {
            let before = reason
            for verb in ["create", "start", "monitor"] where reason.hasPrefix("\(verb) \(id): ") {
                reason = reason.dropFirst("\(verb) \(id): ".count)
            }
            if reason == before { break }
        }
        return BerthError(error.code, "start container \(name): \(reason)", errno: error.errno)
    }

    /// docker's exit status for a container that could not start: 127 when the command is not
    /// found, 126 when it cannot be run, else 125.
    public static func startFailureStatus(_ message: String) -> Int32 {
        let text = message.lowercased()
        if text.contains("executable file not found") || text.contains("no such file or directory") { return 127 }
        if text.contains("permission denied") || text.contains("is a directory") || text.contains("exec format error") { return 126 }
        return 125
    }
}

/// RLIMIT_NOFILE as Glibc's getrlimit takes it.
let RLIMIT_NOFILE_VALUE = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
