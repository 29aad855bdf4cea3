import OCIRuntimeSpec
import RuntimeClient
import XCTest

final class OCIRuntimeArgvTests: XCTestCase {
    func testEveryCallUsesRuncArgv() throws {
        let fake = try FakeRuntime()
        let runtime = OCIRuntime(path: fake.path, root: "/run/r", logPath: fake.directory + "/log.json")
        let global = ["--root", "/run/r", "--log", fake.directory + "/log.json", "--log-format", "json"]

        try runtime.create(id: "web", bundle: "/b", pidFile: "/b/pid", consoleSocket: "/tmp/s.sock")
        try runtime.start(id: "web")
        try runtime.kill(id: "web", signal: 15)
        try runtime.kill(id: "web", signal: 9, all: true)
        try runtime.pause(id: "web")
        try runtime.resume(id: "web")
        try runtime.exec(id: "web", processJSONPath: "/b/p.json", pidFile: "/b/e.pid",
                         consoleSocket: "/tmp/t.sock", tty: true)
        try runtime.exec(id: "web", processJSONPath: "/b/q.json", detach: false)
        try runtime.delete(id: "web")
        try runtime.delete(id: "web", force: true)

        XCTAssertEqual(try fake.argvs(), [
            global + ["create", "--bundle", "/b", "--pid-file", "/b/pid", "--console-socket", "/tmp/s.sock", "web"],
            global + ["start", "web"],
            global + ["kill", "web", "15"],
            global + ["kill", "--all", "web", "9"],
            global + ["pause", "web"],
            global + ["resume", "web"],
            global + ["exec", "--process", "/b/p.json", "--detach", "--pid-file", "/b/e.pid", "--tty",
                      "--console-socket", "/tmp/t.sock", "web"],
            global + ["exec", "--process", "/b/q.json", "web"],
            global + ["delete", "web"],
            global + ["delete", "--force", "web"],
        ])
    }

    func testWithoutLogAndWithSystemdCgroup() throws {
        let fake = try FakeRuntime()
        try OCIRuntime(path: fake.path, root: "/x").start(id: "a")
        try OCIRuntime(path: fake.path, root: "/x", systemdCgroup: true).start(id: "a")
        XCTAssertEqual(try fake.argvs(), [
            ["--root", "/x", "start", "a"],
            ["--root", "/x", "--systemd-cgroup", "start", "a"],
        ])
    }

    func testStateIsDecoded() throws {
        let fake = try FakeRuntime()
        try fake.set("stdout", #"""
        {"ociVersion":"1.0.2-dev","id":"web","pid":4242,"status":"running","bundle":"/b",
         "rootfs":"/b/rootfs","created":"2026-12-06T05:00:00Z","owner":"","systemd-scope":""}
        """#)
        let state = try OCIRuntime(path: fake.path, root: "/r").state(id: "web")
        XCTAssertEqual(state, State(ociVersion: "1.0.2-dev", id: "web", pid: 4242, status: .running, bundle: "/b",
                                    rootfs: "/b/rootfs", created: "2026-12-06T05:00:00Z", owner: ""))
        XCTAssertEqual(try fake.argvs(), [["--root", "/r", "state", "web"]])
    }

    func testStateWithGarbageIsAnError() throws {
        let fake = try FakeRuntime()
        try fake.set("stdout", "not json")
        XCTAssertThrowsError(try OCIRuntime(path: fake.path, root: "/r").state(id: "web")) { error in
            XCTAssertTrue("\(error)".hasPrefix("state web: "), "\(error)")
        }
    }

    func testVersionAndFeatures() throws {
        let fake = try FakeRuntime()
        try fake.set("stdout", "runc version 1.1.5\nspec: 1.0.2-dev\n")
        let runtime = OCIRuntime(path: fake.path, root: "/r", logPath: "/l")
        XCTAssertEqual(try runtime.version(), "runc version 1.1.5\nspec: 1.0.2-dev")
        try fake.set("stdout", #"{"ociVersionMin":"1.0.0","ociVersionMax":"1.1.0","hooks":["prestart"]}"#)
        let features = try XCTUnwrap(try runtime.features())
        XCTAssertEqual(features.ociVersionMax, "1.1.0")
        XCTAssertEqual(features.hooks, ["prestart"])
        try fake.set("stdout", "")
        try fake.set("fail", "unknown command features\n")
        XCTAssertNil(try runtime.features())
        XCTAssertEqual(try fake.argvs(), [
            ["--version"],
            ["--root", "/r", "--log", "/l", "--log-format", "json", "features"],
            ["--root", "/r", "--log", "/l", "--log-format", "json", "features"],
        ])
    }
}
