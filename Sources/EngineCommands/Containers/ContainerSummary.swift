import ContainerEngine
import EngineState
import LiteJSON

/// One container as `ps` and its `--format` see it: docker's fields and texts.
struct ContainerSummary {
    let record: ContainerRecord
    let settings: ContainerSettings?
    /// Its network while it has one.
    var network: ContainerNetwork?

    /// docker's PORTS: "0.0.0.0:8080->80/tcp, 127.0.0.1:5353->53/udp".
    var ports: String {
        (network?.ports ?? []).map { "\($0.hostIP.isEmpty ? "0.0.0.0" : $0.hostIP):\($0.hostPort)->\($0.containerPort)/\($0.proto)" }
            .joined(separator: ", ")
    }

    /// "sh -c 'echo hi'", docker's command column (untruncated).
    var command: String {
        guard let settings else { return "" }
        return ([settings.path] + settings.args).map(Self.quoteIfNeeded).joined(separator: " ")
    }

    static func quoteIfNeeded(_ word: String) -> String {
        word.contains(where: { $0 == " " || $0 == "\t" }) || word.isEmpty ? "'\(word)'" : word
    }

    /// docker's STATUS: "Up 5 seconds", "Up 2 minutes (Paused)", "Exited (0) 3 seconds ago",
    /// "Restarting (1) 2 seconds ago", "Created".
    var status: String {
        switch record.state {
        case .running: return "Up " + HumanUnits.duration(seconds: age(record.startedAt))
        case .paused: return "Up " + HumanUnits.duration(seconds: age(record.startedAt)) + " (Paused)"
        case .restarting: return "Restarting (\(record.exitCode)) " + HumanUnits.since(record.finishedAt)
        case .exited: return "Exited (\(record.exitCode)) " + HumanUnits.since(record.finishedAt)
        case .created: return "Created"
        case .removing: return "Removal In Progress"
        case .dead: return "Dead"
        }
    }

    private func age(_ time: String?) -> Double {
        guard let time, let start = RFC3339.epochSeconds(time) else { return 0 }
        return max(0, HumanUnits.now() - start)
    }

    /// The 12-character id, or the full one.
    func id(truncated: Bool) -> String { truncated ? String(record.id.prefix(12)) : record.id }

    /// `"sh -c 'while…"`: quoted, cut to 20 characters unless `--no-trunc`.
    func quotedCommand(truncated: Bool) -> String {
        var text = command
        if truncated, text.count > 20 { text = String(text.prefix(19)) + "…" }
        return "\"\(text)\""
    }

    /// docker's `{{json .}}` of a ps row.
    func json(truncated: Bool) -> JSONValue {
        let labels = record.labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
        let mounts = (settings?.volumes.values.sorted() ?? []).map { String($0.prefix(12)) }.joined(separator: ",")
        return .object([
            ("Command", .string(quotedCommand(truncated: truncated))),
            ("CreatedAt", .string(RFC3339.dockerDate(record.created))),
            ("ID", .string(id(truncated: truncated))),
            ("Image", .string(record.image)),
            ("Labels", .string(labels)),
            ("LocalVolumes", .string(String(settings?.volumes.count ?? 0))),
            ("Mounts", .string(mounts)),
            ("Names", .string(record.name)),
            ("Networks", .string(settings.map { $0.networks.isEmpty ? $0.options.network : $0.networks.joined(separator: ",") } ?? "")),
            ("Ports", .string(ports)),
            ("RunningFor", .string(HumanUnits.since(record.created))),
            ("Size", .string("N/A")),
            ("State", .string(record.state.rawValue)),
            ("Status", .string(status)),
        ])
    }
}
