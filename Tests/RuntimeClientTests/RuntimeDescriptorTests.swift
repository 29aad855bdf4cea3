import LinuxSyscalls
import RuntimeClient
import XCTest

#if canImport(Glibc)
import Glibc
#endif

final class RuntimeDescriptorTests: XCTestCase {
    func testCreateHandsOverStdioAndPreservedFDsOnly() throws {
        let fake = try FakeRuntime()
        let files = ["in", "out", "err", "extra1", "extra2"].map { fake.directory + "/" + $0 }
        var fds: [Int32] = []
        for file in files {
            fds.append(try syscall("open", path: file) { open(file, O_RDWR | O_CREAT, 0o644) })  // no O_CLOEXEC
        }
        defer { for fd in fds { close(fd) } }
        // A stray inheritable descriptor of ours must not reach the runtime.
        let low = open("/dev/zero", O_RDONLY)
        let high = fcntl(low, F_DUPFD, 500)  // inheritable too
        defer { close(low); close(high) }
        XCTAssertGreaterThanOrEqual(high, 500)

        let runtime = OCIRuntime(path: fake.path, root: "/r")
        try runtime.create(id: "web", bundle: "/b", pidFile: "/p",
                           stdio: RuntimeStdio(input: fds[0], output: fds[1], error: fds[2]),
                           preserveFDs: [fds[4], fds[3]])
        XCTAssertEqual(try fake.argvs()[0], ["--root", "/r", "create", "--bundle", "/b", "--pid-file", "/p",
                                             "--preserve-fds", "2", "web"])
        let seen = try fake.fds(0)
        XCTAssertEqual(seen, [0: files[0], 1: files[1], 2: files[2], 3: files[4], 4: files[3]])
    }

    func testCreateWithoutStdioGetsDevNull() throws {
        let fake = try FakeRuntime()
        try OCIRuntime(path: fake.path, root: "/r").create(id: "web", bundle: "/b", pidFile: "/p")
        XCTAssertEqual(try fake.fds(0), [0: "/dev/null", 1: "/dev/null", 2: "/dev/null"])
        try OCIRuntime(path: fake.path, root: "/r").exec(id: "web", processJSONPath: "/p.json")
        XCTAssertEqual(try fake.fds(1), [0: "/dev/null", 1: "/dev/null", 2: "/dev/null"])
    }

    func testOtherCallsCaptureStdoutAndStderr() throws {
        let fake = try FakeRuntime()
        try OCIRuntime(path: fake.path, root: "/r").start(id: "web")
        let seen = try fake.fds(0)
        XCTAssertEqual(seen[0], "/dev/null")
        XCTAssertTrue(seen[1]?.hasPrefix("pipe:") == true, "\(seen)")
        XCTAssertTrue(seen[2]?.hasPrefix("pipe:") == true, "\(seen)")
        XCTAssertNotEqual(seen[1], seen[2])
        XCTAssertEqual(Set(seen.keys), [0, 1, 2])
    }

    func testLargeStderrDoesNotBlockAndKeepsTheTail() throws {
        let fake = try FakeRuntime(name: "crun")
        // 200 KiB of noise (more than a pipe holds), then the real error.
        var noise = String(repeating: "noise line that is not the error\n", count: 6400)
        noise += "the real error\n"
        try fake.set("fail", noise)
        XCTAssertThrowsError(try OCIRuntime(path: fake.path, root: "/r").pause(id: "web")) { error in
            XCTAssertEqual("\(error)", "pause web: the real error")
        }
    }
}
