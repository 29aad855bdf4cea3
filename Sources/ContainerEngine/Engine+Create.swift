import ContainerLogs
import Diagnostics
import EngineSpec
import EngineState
import Hashing
import ImageSpec
import ImageStore
import LinuxSyscalls
import LiteJSON
import OCIRuntimeSpec

#if canImport(Glibc)
import Glibc
#endif

extension Engine {
    /// `berth create`: checks every flag, then records the container (state `created`) and
    /// makes its volumes. Nothing runs and nothing is mounted yet: `start` builds the bundle.
    /// - Throws: `.notFound` "no such image: x", `.invalidArgument` for a bad flag value,
    ///   `.alreadyExists` when the name is taken. Nothing is left behind on failure.
    public func create(_ request: CreateRequest) throws -> ContainerRecord {
        let image = try images.image(request.image)
        var options = request.options
        let policy = try RestartPolicy.parse(request.restartPolicy)
        if request.autoRemove && policy != .no {
            throw BerthError.invalid("conflicting options: cannot specify both --restart and --rm")
        }
        _ = try LogOptions.parse(request.logOptions)
        try foldEnvironment(&options, caller: request.callerEnvironment)

        var volumes: [String: String] = [:]
        var anonymous: [String] = []
        let requests = try mountRequests(options)
        for mount in requests where mount.kind == .volume {
            if let name = mount.source {
                volumes[name] = name
            } else {
                let name = Self.newVolumeName()
                volumes[mount.destination] = name
                anonymous.append(name)
            }
        }
        // The image's VOLUMEs that no mount covers get anonymous volumes, as docker gives them.
        let covered = Set(requests.map { Files.normalize($0.destination) })
        for destination in (image.config.config?.volumes ?? [:]).keys.sorted() where !covered.contains(Files.normalize(destination)) {
            let name = Self.newVolumeName()
            options.volumes.append("\(name):\(destination)")
            volumes[name] = name
            anonymous.append(name)
        }

        // Build the spec once with stand-in paths: every flag is checked before anything exists.
        var probe = ResolvedInputs(rootfsPath: "/", defaultHostname: "probe")
        probe.volumePaths = volumes.mapValues { _ in "/" }
        probe.initPath = options.initProcess ? try Self.initBinary() : nil
        probe.seccompProfile = try seccompProfile(options)
        let spec = try SpecBuilder.build(image: image.config, options: options, resolved: probe)

        let args = spec.process?.args ?? []
        var settings = ContainerSettings(options: options, restartPolicy: request.restartPolicy,
                                         autoRemove: request.autoRemove, logOptions: request.logOptions,
                                         volumes: volumes, anonymousVolumes: anonymous)
        settings.path = args.first ?? ""
        settings.args = Array(args.dropFirst())
        settings.env = (spec.process?.env ?? []).filter { !$0.hasPrefix("HOSTNAME=") }
        settings.workingDir = spec.process?.cwd ?? "/"
        settings.user = SpecBuilder.userSpec(image: image.config, options: options)
        settings.hostname = options.hostname ?? ""
        settings.stopSignal = options.stopSignal ?? image.config.config?.stopSignal ?? "SIGTERM"
        settings.stopTimeout = options.stopTimeout ?? 10
        settings.imageManifest = image.manifestDigest.string
        settings.networks = try checkNetworkOptions(options)
        _ = try Signals.parse(settings.stopSignal)

        // `-v /host:/ctr` makes a missing host directory, as docker does; `--mount` refuses it.
        for spec in options.mounts {
            let mount = try MountRequest.parseMount(spec)
            if mount.kind == .bind, let source = mount.source, !Files.exists(source) {
                throw BerthError.invalid("invalid mount config for type \"bind\": bind source path does not exist: \(source)")
            }
        }
        var labels = image.config.config?.labels ?? [:]
        for (key, value) in SpecBuilder.annotations(options.labels) ?? [:] { labels[key] = value }
        let config = try LiteJSONEncoder().encodeToValue(settings)
        let record = try containers.create(name: request.name, image: request.image, imageID: image.id.string,
                                           config: config, labels: labels)
        do {
            for spec in options.volumes {
                let mount = try MountRequest.parseVolume(spec)
                if mount.kind == .bind, let source = mount.source, !Files.exists(source) {
                    try BerthError.wrap("create bind source \(source)") { try Files.makeDirectories(source, mode: 0o755) }
                }
            }
            for name in Set(volumes.values) {
                try self.volumes.create(name: name, labels: anonymous.contains(name) ? [Volume.anonymousLabel: ""] : [:])
            }
        } catch {
            try? containers.remove(record.id)
            throw error
        }
        return record
    }

    /// `-e NAME` and `--env-file` resolved now, with the caller's environment: the stored flags
    /// then mean the same at every start.
    func foldEnvironment(_ options: inout RunOptions, caller: [String: String]) throws {
        var env: [String] = []
        for path in options.envFiles {
            let content = try BerthError.wrap("read env file \(path)") { try Files.readString(path) }
            env += try EnvFile.parse(content, name: path, environment: caller)
        }
        for entry in options.env {
            if let resolved = try EnvFile.entry(entry, environment: caller) { env.append(resolved) }
        }
        options.env = env
        options.envFiles = []
    }

    func mountRequests(_ options: RunOptions) throws -> [MountRequest] {
        try options.volumes.map { try MountRequest.parseVolume($0) }
            + options.mounts.map { try MountRequest.parseMount($0) }
            + options.tmpfs.map { try MountRequest.parseTmpfs($0) }
    }

    /// The `seccomp=FILE` profile's content.
    func seccompProfile(_ options: RunOptions) throws -> [UInt8]? {
        for text in options.securityOpts {
            guard case .seccompProfile(let path) = try SecurityOption.parse(text) else { continue }
            return try BerthError.wrap("read seccomp profile \(path)") { try Files.read(path, limit: 4 << 20) }
        }
        return nil
    }

    /// The init `--init` runs (docker's docker-init is tini): `$BERTH_INIT`, else Debian's tini-static.
    static func initBinary() throws -> String {
        let candidates = [getenvString("BERTH_INIT"), "/usr/bin/tini-static", "/usr/bin/docker-init"].compactMap { $0 }
        for path in candidates where !path.isEmpty && Files.exists(path) { return path }
        throw BerthError(.notFound, "--init: no init binary found (install tini, or set BERTH_INIT)")
    }

    /// A 64-hex name for an anonymous volume.
    static func newVolumeName() -> String {
        var bytes = [UInt8](repeating: 0, count: 32)
        for index in bytes.indices { bytes[index] = UInt8.random(in: 0...255) }
        return bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }
}

func getenvString(_ name: String) -> String? {
    guard let value = getenv(name) else { return nil }
    return String(cString: value)
}
