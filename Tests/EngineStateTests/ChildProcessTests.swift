import Diagnostics
import EngineState
import LinuxSyscalls
import XCTest

#if canImport(Glibc)
import Glibc
#endif

/// Several `berth` commands at once, as real processes: the test binary runs itself again with
/// `ChildProcessTests/testChildCommand` and BERTH_STATE_CHILD_* in its environment.
final class ChildProcessTests: StoreTestCase {
    /// Children are killed without a tearDown: they make no directory of their own.
    static var isChild: Bool { getenv("BERTH_STATE_CHILD_ROOT") != nil }

    override func setUpWithError() throws {
        if !Self.isChild { try super.setUpWithError() }
    }

    override func tearDownWithError() throws {
        if !Self.isChild { try super.tearDownWithError() }
    }

    /// Runs in the children only (a no-op in the ordinary run).
    func testChildCommand() throws {
        guard let root = getenv("BERTH_STATE_CHILD_ROOT").map({ String(cString: $0) }),
              let mode = getenv("BERTH_STATE_CHILD_MODE").map({ String(cString: $0) }),
              let index = getenv("BERTH_STATE_CHILD_INDEX").map({ String(cString: $0) })
        else { return }
        let store = try ContainerStore(root: "\(root)/store")
        if mode == "race" {
            let own = try store.create(name: "p\(index)", image: "busybox", imageID: "sha256:1")
            var outcome = "created \(own.id)\n"
            do {
                outcome += "won \(try store.create(name: "race", image: "busybox", imageID: "sha256:1").id)\n"
            } catch let error as BerthError where error.code == .alreadyExists {
                outcome += "lost\n"
            }
            try Files.writeAtomically("\(root)/results/\(index)", Array(outcome.utf8))
        } else {  // "churn": create, rename and remove until killed
            var n = 0
            while true {
                n += 1
                let record = try store.create(name: n % 3 == 0 ? nil : "k\(index)-\(n)", image: "busybox", imageID: "sha256:1")
                if n % 2 == 0 { try store.rename(record.id, to: "r\(index)-\(n)") }
                if n % 4 == 0 { try store.remove(record.id) }
            }
        }
    }

    /// Starts the test binary as a child running `testChildCommand`; returns its pid.
    func spawnChild(_ mode: String, _ index: Int) throws -> pid_t {
        let executable = try Files.readLink("/proc/self/exe")
        let arguments = [executable, "EngineStateTests.ChildProcessTests/testChildCommand"]
        let environment = ["BERTH_STATE_CHILD_ROOT=\(root)", "BERTH_STATE_CHILD_MODE=\(mode)", "BERTH_STATE_CHILD_INDEX=\(index)",
                           "PATH=/usr/bin:/bin"]
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        var envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup($0) } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, nil, &argv, &envp)
        guard result == 0 else { throw BerthError.system("posix_spawn", path: executable, errno: result) }
        return pid
    }

    func testTwentyProcessesCreateAndRaceForOneName() throws {
        try Files.makeDirectory("\(root)/results")
        let pids = try (0..<20).map { try spawnChild("race", $0) }
        for pid in pids { XCTAssertEqual(Processes.exitCode(fromWaitStatus: try Processes.wait(pid)), 0) }
        let outcomes = try (0..<20).map { try Files.readString("\(root)/results/\($0)") }
        let winners = outcomes.filter { $0.contains("won ") }
        XCTAssertEqual(winners.count, 1, "\(outcomes)")
        XCTAssertEqual(outcomes.filter { $0.contains("lost") }.count, 19)
        let store = try ContainerStore(root: "\(root)/store")
        let records = try store.list()
        XCTAssertEqual(records.count, 21)
        XCTAssertEqual(Set(records.map(\.name)), Set((0..<20).map { "p\($0)" } + ["race"]))
        XCTAssertTrue(winners[0].contains(try store.load("race").id))
        try assertConsistent(store)
    }

    func testKillNineAtAnyPointLeavesAConsistentStore() throws {
        let pids = try (0..<8).map { try spawnChild("churn", $0) }
        usleep(400_000)
        for (i, pid) in pids.enumerated() {
            usleep(UInt32(i) * 7_000)
            kill(pid, SIGKILL)
        }
        for pid in pids { try Processes.wait(pid) }
        let store = try ContainerStore(root: "\(root)/store")
        XCTAssertGreaterThan(try Files.listDirectories("\(root)/store/containers").count, 0)
        let repairs = try store.reconcile()
        XCTAssertFalse(repairs.isEmpty, "nothing to repair: the kills came between operations")
        try assertConsistent(store)
        XCTAssertTrue(try store.reconcile().isEmpty)
    }

    /// Every record is whole and not half-made, every record's name points back at it, every
    /// name points at a record bearing it, and staging/ is empty.
    func assertConsistent(_ store: ContainerStore, file: StaticString = #filePath, line: UInt = #line) throws {
        let base = "\(root)/store"
        let ids = try Files.listDirectories("\(base)/containers")
        let records = try store.list()
        XCTAssertEqual(Set(records.map(\.id)), Set(ids), "half-made records left", file: file, line: line)
        for record in records {
            XCTAssertEqual(try Files.readString("\(base)/names/\(record.name)"), record.id, record.name, file: file, line: line)
        }
        for name in try Files.list("\(base)/names") {
            XCTAssertEqual(try store.load(name).name, name, file: file, line: line)
        }
        XCTAssertEqual(try Files.list("\(base)/names").count, records.count, file: file, line: line)
        XCTAssertEqual(try Files.list("\(base)/staging"), [], file: file, line: line)
        for id in ids {
            XCTAssertEqual(Set(try Files.list("\(base)/containers/\(id)")).subtracting(["lock"]), ["container.json"],
                           file: file, line: line)
        }
    }
}
