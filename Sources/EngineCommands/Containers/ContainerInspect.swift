import ContainerEngine
import EngineSpec
import EngineState
import LiteJSON
import Networking

/// docker's `container inspect` document of one container.
enum ContainerInspect {
    static func document(_ record: ContainerRecord, engine: Engine) throws -> JSONValue {
        let settings = try engine.settings(of: record)
        let options = settings.options
        let dir = engine.directory(record.id)
        let running = record.state == .running || record.state == .paused
        let state: JSONValue = .object([
            ("Status", .string(record.state.rawValue)),
            ("Running", .bool(running)),
            ("Paused", .bool(record.state == .paused)),
            ("Restarting", .bool(record.state == .restarting)),
            ("OOMKilled", .bool(false)),
            ("Dead", .bool(record.state == .dead)),
            ("Pid", .number(String(running ? record.pid : 0))),
            ("ExitCode", .number(String(record.exitCode))),
            ("Error", .string(record.error ?? "")),
            ("StartedAt", .string(record.startedAt ?? "0001-01-01T00:00:00Z")),
            ("FinishedAt", .string(record.finishedAt ?? "0001-01-01T00:00:00Z")),
        ])
        let policy = (try? RestartPolicy.parse(settings.restartPolicy)) ?? .no
        let (policyName, retries): (String, Int) = switch policy {
        case .no: ("no", 0)
        case .always: ("always", 0)
        case .unlessStopped: ("unless-stopped", 0)
        case .onFailure(let count): ("on-failure", count)
        }
        var resources: [(String, JSONValue)] = [
            ("Memory", .number(String((try? options.memory.map { try MemoryBytes.parse($0) } ?? 0) ?? 0))),
            ("MemorySwap", .number(String((try? options.memorySwap.map { try MemoryBytes.parseSwap($0) } ?? 0) ?? 0))),
            ("NanoCpus", .number(String(Int64(((options.cpus.flatMap(Double.init)) ?? 0) * 1e9)))),
            ("CpuShares", .number(String(options.cpuShares ?? 0))),
            ("CpusetCpus", .string(options.cpusetCpus ?? "")),
            ("PidsLimit", options.pidsLimit.map { .number(String($0)) } ?? .null),
        ]
        resources.append(("Ulimits", options.ulimits.isEmpty ? .null : .array(options.ulimits.map { .string($0) })))
        let hostConfig: JSONValue = .object([
            ("Binds", options.volumes.isEmpty ? .null : .array(options.volumes.map { .string($0) })),
            ("LogConfig", .object([("Type", .string("json-file")), ("Config", .object(settings.logOptions.compactMap { option in
                guard let equals = option.firstIndex(of: "=") else { return nil }
                return (String(option[..<equals]), .string(String(option[option.index(after: equals)...])))
            }))])),
            ("NetworkMode", .string(options.network)),
            ("RestartPolicy", .object([("Name", .string(policyName)), ("MaximumRetryCount", .number(String(retries)))])),
            ("AutoRemove", .bool(settings.autoRemove)),
            ("CapAdd", options.capAdd.isEmpty ? .null : .array(options.capAdd.map { .string($0) })),
            ("CapDrop", options.capDrop.isEmpty ? .null : .array(options.capDrop.map { .string($0) })),
            ("Privileged", .bool(options.privileged)),
            ("ReadonlyRootfs", .bool(options.readOnly)),
            ("SecurityOpt", options.securityOpts.isEmpty ? .null : .array(options.securityOpts.map { .string($0) })),
            ("Tmpfs", options.tmpfs.isEmpty ? .null : .object(options.tmpfs.map { spec in
                let parts = spec.split(separator: ":", maxSplits: 1)
                return (String(parts[0]), .string(parts.count > 1 ? String(parts[1]) : ""))
            })),
            ("Init", options.initProcess ? .bool(true) : .null),
        ] + resources)
        let config: JSONValue = .object([
            ("Hostname", .string(options.hostname ?? String(record.id.prefix(12)))),
            ("Domainname", .string("")),
            ("User", .string(settings.user)),
            ("AttachStdin", .bool(options.interactive)),
            ("AttachStdout", .bool(true)),
            ("AttachStderr", .bool(true)),
            ("Tty", .bool(options.tty)),
            ("OpenStdin", .bool(options.interactive)),
            ("StdinOnce", .bool(options.interactive)),
            ("Env", .array(settings.env.map { .string($0) })),
            ("Cmd", .array(([settings.path] + settings.args).map { .string($0) })),
            ("Image", .string(record.image)),
            ("Volumes", .null),
            ("WorkingDir", .string(settings.workingDir == "/" ? "" : settings.workingDir)),
            ("Entrypoint", options.entrypoint.map { $0.isEmpty ? .null : .array([.string($0)]) } ?? .null),
            ("OnBuild", .null),
            ("Labels", .object(record.labels.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })),
            ("StopSignal", .string(settings.stopSignal)),
            ("StopTimeout", options.stopTimeout.map { .number(String($0)) } ?? .null),
        ])
        let networkSettings = Self.networkSettings(engine.networkState(record.id), mode: options.network)
        return .object([
            ("Id", .string(record.id)),
            ("Created", .string(record.created)),
            ("Path", .string(settings.path)),
            ("Args", .array(settings.args.map { .string($0) })),
            ("State", state),
            ("Image", .string(record.imageID)),
            ("ResolvConfPath", .string("\(dir)/resolv.conf")),
            ("HostnamePath", .string("\(dir)/hostname")),
            ("HostsPath", .string("\(dir)/hosts")),
            ("LogPath", .string(engine.logPath(record.id))),
            ("Name", .string("/" + record.name)),
            ("RestartCount", .number(String(record.restartCount))),
            ("Driver", .string("overlay2")),
            ("Platform", .string("linux")),
            ("MountLabel", .string("")),
            ("ProcessLabel", .string("")),
            ("AppArmorProfile", .string("")),
            ("ExecIDs", .null),
            ("HostConfig", hostConfig),
            ("GraphDriver", .object([
                ("Name", .string("overlay2")),
                ("Data", .object([("MergedDir", .string("\(dir)/rootfs")), ("UpperDir", .string("\(dir)/upper")),
                                  ("WorkDir", .string("\(dir)/work"))])),
            ])),
            ("Mounts", .array(try mounts(settings, engine: engine))),
            ("Config", config),
            ("NetworkSettings", networkSettings),
        ])
    }

    /// docker's NetworkSettings: the top-level address fields are the default network's (as
    /// docker fills them), Ports the published ones, Networks one entry per network.
    static func networkSettings(_ state: ContainerNetwork?, mode: String) -> JSONValue {
        let attachments = state?.attachments ?? []
        let primary = attachments.first { $0.network == NetworkDefinition.defaultName }
        var ports: [(String, JSONValue)] = []
        for mapping in state?.ports ?? [] {
            let key = "\(mapping.containerPort)/\(mapping.proto)"
            let binding: JSONValue = .object([("HostIp", .string(mapping.hostIP.isEmpty ? "0.0.0.0" : mapping.hostIP)),
                                              ("HostPort", .string(String(mapping.hostPort)))])
            if let index = ports.firstIndex(where: { $0.0 == key }), case .array(let list) = ports[index].1 {
                ports[index].1 = .array(list + [binding])
            } else {
                ports.append((key, .array([binding])))
            }
        }
        var networks: [(String, JSONValue)] = attachments.map { attachment in
            (attachment.network, .object([
                ("Aliases", .array(attachment.aliases.dropFirst(2).map { .string($0) })),
                ("NetworkID", .string(attachment.networkID)), ("EndpointID", .string("")),
                ("Gateway", .string(attachment.gateway)), ("IPAddress", .string(attachment.ip)),
                ("IPPrefixLen", .number(String(attachment.prefixLength))), ("MacAddress", .string(attachment.mac)),
                ("DNSNames", .array(attachment.aliases.map { .string($0) })),
            ]))
        }
        if networks.isEmpty, !mode.hasPrefix("container:") {
            networks = [(mode, .object([("NetworkID", .string("")), ("Gateway", .string("")), ("IPAddress", .string("")),
                                        ("IPPrefixLen", .number("0")), ("MacAddress", .string(""))]))]
        }
        return .object([
            ("Bridge", .string("")), ("SandboxID", .string("")),
            ("SandboxKey", .string(state?.netnsPath ?? "")), ("Ports", .object(ports)),
            ("Gateway", .string(primary?.gateway ?? "")), ("IPAddress", .string(primary?.ip ?? "")),
            ("IPPrefixLen", .number(String(primary?.prefixLength ?? 0))), ("MacAddress", .string(primary?.mac ?? "")),
            ("Networks", .object(networks)),
        ])
    }

    /// docker's Mounts: binds and volumes with their host paths (tmpfs mounts are not listed).
    static func mounts(_ settings: ContainerSettings, engine: Engine) throws -> [JSONValue] {
        var result: [JSONValue] = []
        let requests = try settings.options.volumes.map { try MountRequest.parseVolume($0) }
            + settings.options.mounts.map { try MountRequest.parseMount($0) }
        for request in requests where request.kind != .tmpfs {
            let rw = JSONValue.bool(!request.readOnly)
            if request.kind == .bind {
                result.append(.object([
                    ("Type", .string("bind")), ("Source", .string(request.source ?? "")),
                    ("Destination", .string(request.destination)), ("Mode", .string(request.readOnly ? "ro" : "")),
                    ("RW", rw), ("Propagation", .string("rprivate")),
                ]))
            } else {
                let name = settings.volumes[request.source ?? request.destination] ?? request.source ?? ""
                let source = (try? engine.volumes.inspect(name).mountpoint) ?? ""
                result.append(.object([
                    ("Type", .string("volume")), ("Name", .string(name)), ("Source", .string(source)),
                    ("Destination", .string(request.destination)), ("Driver", .string("local")),
                    ("Mode", .string(request.readOnly ? "ro" : "z")), ("RW", rw), ("Propagation", .string("")),
                ]))
            }
        }
        return result
    }
}
