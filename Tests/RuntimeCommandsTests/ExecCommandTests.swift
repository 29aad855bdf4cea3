import Diagnostics
import OCIRuntimeSpec
import Testing

@testable import RuntimeCommands

@Suite struct ExecCommandTests {
    func parse(_ words: [String]) throws -> ParsedArguments {
        try ParsedArguments(words[...], options: ExecCommand.options, positionalsEndFlags: true)
    }

    @Test func commandFlagsStayWithTheCommand() throws {
        let parsed = try parse(["-t", "c1", "ls", "-la", "--color"])
        #expect(parsed.flag("tty"))
        #expect(parsed.positionals == ["c1", "ls", "-la", "--color"])
    }

    @Test func repeatedOptionsKeepEveryValue() throws {
        let parsed = try parse(["-e", "A=1", "--env=B=2", "-g", "5", "-g", "6", "c1", "sh"])
        #expect(parsed.values("env") == ["A=1", "B=2"])
        #expect(parsed.values("additional-gids") == ["5", "6"])
    }

    @Test func flagsApplyToTheConfiguredProcess() throws {
        let parsed = try parse(["--env", "X=y", "--cwd", "/tmp", "--user", "1000:1001", "-g", "7",
                                "--cap", "CAP_NET_RAW", "--no-new-privs", "c1", "id"])
        var process = Process(user: User(uid: 0, gid: 0), args: ["sh"], env: ["PATH=/bin"], cwd: "/")
        let result = try ExecCommand.apply(parsed, to: &process, command: ["id"])
        #expect(result.args == ["id"])
        #expect(result.env == ["PATH=/bin", "X=y"])
        #expect(result.cwd == "/tmp")
        #expect(result.user.uid == 1000 && result.user.gid == 1001)
        #expect(result.user.additionalGids == [7])
        #expect(result.capabilities?.ambient == ["CAP_NET_RAW"])
        #expect(result.noNewPrivileges == true)
        #expect(result.terminal == false)
    }

    @Test(arguments: ["abc", "1:2:3", "1:x", ""])
    func badUser(_ user: String) throws {
        let parsed = try parse(["--user", user, "c1", "id"])
        var process = Process()
        #expect(throws: BerthError.self) { try ExecCommand.apply(parsed, to: &process, command: ["id"]) }
    }

    @Test func unknownCapability() throws {
        let parsed = try parse(["--cap", "CAP_NOPE", "c1", "id"])
        var process = Process()
        #expect(throws: BerthError.invalid("unknown capability \"CAP_NOPE\"")) {
            try ExecCommand.apply(parsed, to: &process, command: ["id"])
        }
    }
}
