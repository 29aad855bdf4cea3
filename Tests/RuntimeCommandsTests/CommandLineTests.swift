import LinuxSyscalls
import Diagnostics
import Testing

@testable import ContainerRuntime
@testable import RuntimeCommands

@Suite struct CommandLineTests {
    @Test(arguments: [
        ["--bundle", "/b", "id1"], ["--bundle=/b", "id1"], ["-b", "/b", "id1"], ["-bundle", "/b", "id1"],
        ["id1", "--bundle", "/b"],
    ])
    func bundleForms(_ words: [String]) throws {
        let parsed = try ParsedArguments(words[...], options: CreateFlags.options)
        #expect(parsed.value("bundle") == "/b")
        #expect(parsed.positionals == ["id1"])
    }

    @Test func flagsAndValues() throws {
        let parsed = try ParsedArguments(
            ["--pid-file", "p", "--no-pivot", "--preserve-fds=2", "--console-socket", "/s", "c"][...],
            options: CreateFlags.options)
        let options = try CreateFlags.createOptions(parsed)
        #expect(options.pidFile == "p")
        #expect(options.noPivot)
        #expect(!options.noNewKeyring)
        #expect(options.preserveFds == 2)
        #expect(options.consoleSocket == "/s")
    }

    @Test func unknownFlag() {
        #expect(throws: BerthError.invalid("flag provided but not defined: -nope")) {
            try ParsedArguments(["--nope", "x"][...], options: CreateFlags.options)
        }
    }

    @Test func missingValue() {
        #expect(throws: BerthError.invalid("flag needs an argument: -pid-file")) {
            try ParsedArguments(["--pid-file"][...], options: CreateFlags.options)
        }
    }

    @Test func negativePreserveFds() throws {
        let parsed = try ParsedArguments(["--preserve-fds", "-1", "x"][...], options: CreateFlags.options)
        #expect(throws: BerthError.self) { try CreateFlags.createOptions(parsed) }
    }

    @Test func doubleDashEndsFlags() throws {
        let parsed = try ParsedArguments(["--", "-weird"][...], options: [])
        #expect(parsed.positionals == ["-weird"])
    }

    @Test func globalOptionsBeforeCommand() throws {
        let parsed = try ParsedArguments(["--root", "/r", "--log-format=json", "--debug"][...], options: BerthRuntime.globalOptions)
        #expect(parsed.value("root") == "/r")
        #expect(parsed.value("log-format") == "json")
        #expect(parsed.flag("debug"))
    }
}

@Suite struct SignalTests {
    @Test(arguments: [("9", 9), ("KILL", 9), ("SIGKILL", 9), ("sigterm", 15), ("TERM", 15), ("USR1", 10),
                      ("RTMIN", 34), ("RTMIN+3", 37), ("RTMAX-1", 63), ("64", 64)] as [(String, Int32)])
    func parses(_ text: String, _ number: Int32) throws {
        #expect(try Signals.parse(text) == number)
    }

    @Test(arguments: ["0", "65", "-1", "SIGFOO", "", "RTMIN+40"])
    func rejects(_ text: String) {
        #expect(throws: BerthError.invalid("unknown signal \"\(text)\"")) { try Signals.parse(text) }
    }
}

@Suite struct ContainerIDTests {
    @Test(arguments: ["abc", "a-b_c.d+e", "0123456789abcdef", "Web1"])
    func accepts(_ id: String) throws { try ContainerID.validate(id) }

    @Test(arguments: ["", ".", "..", "a/b", "../x", "a..b", "a b", "ä", "x\n"])
    func rejects(_ id: String) {
        #expect(throws: BerthError.self) { try ContainerID.validate(id) }
    }
}

@Suite struct ListTableTests {
    @Test func runcLayout() {
        let table = ListCommand.table([
            .init(id: "c1", pid: 42, status: .running, bundle: "/b", created: "2026-11-29T12:00:00.000000001Z", owner: "root"),
        ])
        let lines = table.split(separator: "\n")
        #expect(lines[0] == "ID          PID         STATUS      BUNDLE      CREATED                          OWNER")
        #expect(lines[1] == "c1          42          running     /b          2026-11-29T12:00:00.000000001Z   root")
    }
}

@Suite struct CgroupPathTests {
    @Test func systemdSliceForm() {
        #expect(CgroupPaths.containerPath("system.slice:docker:abc", id: "x", systemd: true) == "/system.slice/docker-abc.scope")
        #expect(CgroupPaths.containerPath(":berth:abc", id: "x", systemd: true) == "/system.slice/berth-abc.scope")
        #expect(CgroupPaths.containerPath("/a/b", id: "x", systemd: true) == "/a/b")
        #expect(CgroupPaths.containerPath(nil, id: "x", systemd: false) == "/berth/x")
    }
}
