import Diagnostics
import LiteJSON

extension OCIRuntime {
    /// `events --stats ID`: the container's cgroup statistics, runc's `data` object.
    public func stats(id: String) throws -> JSONValue {
        let output = try run("stats \(id)", ["events", "--stats", id])
        let line = output.split(separator: UInt8(ascii: "\n")).first.map(Array.init) ?? []
        do {
            guard let data = try JSONParser.parse(line)["data"] else { throw BerthError(.external, "no data member") }
            return data
        } catch {
            throw BerthError(.external, "stats \(id): the runtime printed no statistics: \(error)")
        }
    }

    /// `ps --format json ID`: the host pids of the container's processes.
    public func processes(id: String) throws -> [Int32] {
        let output = try run("ps \(id)", ["ps", "--format", "json", id])
        guard case .array(let items) = try JSONParser.parse(output) else {
            throw BerthError(.external, "ps \(id): the runtime printed no pid list")
        }
        return items.compactMap { if case .number(let text) = $0 { return Int32(text) } else { return nil } }
    }
}
