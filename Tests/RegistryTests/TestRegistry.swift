import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// A CNCF distribution registry on 127.0.0.1:<free port> with the busybox test images, run by
/// `registry.sh` (tests/clients/registry.sh, else ../shared/clients/registry.sh).
final class TestRegistry: @unchecked Sendable {
    let directory: String
    let address: String
    let script: String

    /// Starts one, or throws XCTSkip when root, docker-registry or the script are missing.
    static func start() throws -> TestRegistry {
        guard getuid() == 0 else { throw XCTSkip("the registry test images need root (chroot, uid 0 files)") }
        let script = try script("registry.sh")
        guard which("docker-registry") != nil, which("skopeo") != nil else {
            throw XCTSkip("docker-registry or skopeo is not installed")
        }
        let directory = NSTemporaryDirectory() + "berth-registry-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let registry = TestRegistry(directory: directory, address: "127.0.0.1:\(try freePort())", script: script)
        let (status, output) = run(script, ["start", directory], environment: ["REGISTRY_ADDR": registry.address])
        guard status == 0 else {
            registry.stop()
            throw XCTSkip("registry.sh start failed (\(status)): \(output.suffix(800))")
        }
        return registry
    }

    private init(directory: String, address: String, script: String) {
        self.directory = directory
        self.address = address
        self.script = script
    }

    func stop() {
        _ = Self.run(script, ["stop", directory], environment: ["REGISTRY_ADDR": address])
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// `skopeo inspect --tls-verify=false docker://ADDRESS/NAME` as JSON.
    func skopeoInspect(_ name: String, raw: Bool = false) throws -> [String: Any] {
        var arguments = ["inspect", "--tls-verify=false"]
        if raw { arguments.append("--raw") }
        arguments.append("docker://\(address)/\(name)")
        let (status, output) = Self.run(Self.which("skopeo") ?? "skopeo", arguments)
        guard status == 0, let object = try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any] else {
            throw NSError(domain: "skopeo", code: Int(status), userInfo: [NSLocalizedDescriptionKey: output])
        }
        return object
    }

    /// The file holding blob `hex` in the registry's storage.
    func storagePath(ofBlob hex: String) -> String {
        "\(directory)/data/docker/registry/v2/blobs/sha256/\(hex.prefix(2))/\(hex)/data"
    }

    // MARK: - Helpers

    /// Runs `executable` to its end with posix_spawn and waitpid (Foundation's Process can miss
    /// the exit of a child whose own children live on, as the registry does); output goes
    /// through a temporary file.
    @discardableResult
    static func run(_ executable: String, _ arguments: [String], environment extra: [String: String] = [:]) -> (Int32, String) {
        let output = NSTemporaryDirectory() + "berth-run-\(UUID().uuidString)"
        defer { unlink(output) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let environment = ProcessInfo.processInfo.environment.merging(extra) { $1 }.map { "\($0)=\($1)" }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup($0) } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid = pid_t()
        guard posix_spawn(&pid, executable, &actions, nil, argv, envp) == 0 else { return (127, "cannot run \(executable)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
        let exited = status & 0x7f == 0
        return (exited ? (status >> 8) & 0xff : 128 + (status & 0x7f), text)
    }

    /// Starts `executable` in the background with its output appended to `log`.
    static func spawn(_ executable: String, _ arguments: [String], log: String) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_APPEND, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid = pid_t()
        let status = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        guard status == 0 else { throw XCTSkip("cannot start \(executable): \(status)") }
        return pid
    }

    static func which(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/sbin:/usr/bin:/sbin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// A script of the client test kit: tests/clients/NAME in this repository, else
    /// ../shared/clients/NAME (`BERTH_REGISTRY_SH` may name registry.sh's directory's script).
    static func script(_ name: String) throws -> String {
        let repo = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let candidates: [String?] = [
            ProcessInfo.processInfo.environment["BERTH_REGISTRY_SH"].map {
                URL(fileURLWithPath: $0).deletingLastPathComponent().appendingPathComponent(name).path
            },
            repo.appendingPathComponent("tests/clients/\(name)").path,
            repo.deletingLastPathComponent().appendingPathComponent("shared/clients/\(name)").path,
        ]
        guard let found = candidates.compactMap({ $0 }).first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw XCTSkip("\(name) not found")
        }
        return found
    }

    /// A TCP port nothing listens on right now.
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw XCTSkip("socket: \(errno)") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw XCTSkip("bind: \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
