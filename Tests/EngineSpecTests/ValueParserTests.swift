import OCIRuntimeSpec
import XCTest

@testable import EngineSpec

final class ValueParserTests: XCTestCase {
    func testMemoryBytesAcceptsDockerSizes() throws {
        let cases: [(String, Int64)] = [
            ("512", 512), ("512b", 512), ("1k", 1024), ("1K", 1024), ("512m", 512 << 20), ("512M", 512 << 20),
            ("2g", 2 << 30), ("1t", 1 << 40), ("1.5g", 1536 << 20), ("64MB", 64 << 20), ("1GiB", 1 << 30),
            ("10 m", 10 << 20),
        ]
        for (text, bytes) in cases {
            XCTAssertEqual(try MemoryBytes.parse(text), bytes, text)
        }
        XCTAssertEqual(try MemoryBytes.parseSwap("-1"), -1)
    }

    func testMemoryBytesRejectsBadSizes() {
        XCTAssertEqual(errorMessage { _ = try MemoryBytes.parse("12q") },
                       "invalid argument \"12q\" for \"-m, --memory\" flag: invalid size: '12q'")
        for text in ["", "m", "-5m", "1.g", "12mm", "1x5"] {
            XCTAssertEqual(errorMessage { _ = try MemoryBytes.parse(text) },
                           "invalid argument \"\(text)\" for \"-m, --memory\" flag: invalid size: '\(text)'")
        }
        XCTAssertEqual(errorMessage { _ = try MemoryBytes.parseSwap("-2") },
                       "invalid argument \"-2\" for \"--memory-swap\" flag: invalid size: '-2'")
    }

    func testCPUs() throws {
        XCTAssertEqual(try CPUQuota.parse("1.5"), CPUQuota(quota: 150_000, period: 100_000))
        XCTAssertEqual(try CPUQuota.parse("2"), CPUQuota(quota: 200_000))
        XCTAssertEqual(try CPUQuota.parse(".25"), CPUQuota(quota: 25_000))
        XCTAssertEqual(try CPUQuota.parse("0.01"), CPUQuota(quota: 1_000))
        XCTAssertNil(try CPUQuota.parse("0"))
        XCTAssertEqual(errorMessage { _ = try CPUQuota.parse("-1") },
                       "invalid argument \"-1\" for \"--cpus\" flag: cpus must be a positive number")
        XCTAssertEqual(errorMessage { _ = try CPUQuota.parse("abc") },
                       "invalid argument \"abc\" for \"--cpus\" flag: failed to parse abc as a rational number")
        XCTAssertEqual(errorMessage { _ = try CPUQuota.parse("0.001") },
                       "invalid argument \"0.001\" for \"--cpus\" flag: range of cpus is from 0.01 upwards")
    }

    func testUlimit() throws {
        XCTAssertEqual(try Ulimit.parse("nofile=1024:2048"), RLimit(type: "RLIMIT_NOFILE", hard: 2048, soft: 1024))
        XCTAssertEqual(try Ulimit.parse("nproc=64"), RLimit(type: "RLIMIT_NPROC", hard: 64, soft: 64))
        XCTAssertEqual(try Ulimit.parse("core=-1"), RLimit(type: "RLIMIT_CORE", hard: .max, soft: .max))
        let bad: [(String, String)] = [
            ("nofile", "invalid ulimit argument: nofile"),
            ("files=1", "invalid ulimit type: files"),
            ("nofile=a", "invalid ulimit soft value a"),
            ("nofile=1:b", "invalid ulimit hard value b"),
            ("nofile=2048:1024", "ulimit soft limit must be less than or equal to hard limit: 2048 > 1024"),
        ]
        for (text, reason) in bad {
            XCTAssertEqual(errorMessage { _ = try Ulimit.parse(text) },
                           "invalid argument \"\(text)\" for \"--ulimit\" flag: \(reason)")
        }
    }

    func testRestartPolicy() throws {
        XCTAssertEqual(try RestartPolicy.parse("no"), .no)
        XCTAssertEqual(try RestartPolicy.parse(""), .no)
        XCTAssertEqual(try RestartPolicy.parse("always"), .always)
        XCTAssertEqual(try RestartPolicy.parse("unless-stopped"), .unlessStopped)
        XCTAssertEqual(try RestartPolicy.parse("on-failure"), .onFailure(maximumRetries: 0))
        XCTAssertEqual(try RestartPolicy.parse("on-failure:3"), .onFailure(maximumRetries: 3))
        XCTAssertEqual(errorMessage { _ = try RestartPolicy.parse("sometimes") }, "invalid restart policy 'sometimes'")
        XCTAssertEqual(errorMessage { _ = try RestartPolicy.parse("always:2") },
                       "maximum retry count cannot be used with restart policy 'always'")
        XCTAssertEqual(errorMessage { _ = try RestartPolicy.parse("on-failure:x") },
                       "invalid restart policy format: maximum retry count must be an integer")
        XCTAssertEqual(errorMessage { _ = try RestartPolicy.parse("on-failure:-1") },
                       "invalid restart policy: maximum retry count cannot be negative")
    }

    func testSecurityOptions() throws {
        XCTAssertEqual(try SecurityOption.parse("no-new-privileges"), .noNewPrivileges(true))
        XCTAssertEqual(try SecurityOption.parse("no-new-privileges:true"), .noNewPrivileges(true))
        XCTAssertEqual(try SecurityOption.parse("no-new-privileges=false"), .noNewPrivileges(false))
        XCTAssertEqual(try SecurityOption.parse("seccomp=unconfined"), .seccompUnconfined)
        XCTAssertEqual(try SecurityOption.parse("seccomp:unconfined"), .seccompUnconfined)
        XCTAssertEqual(try SecurityOption.parse("seccomp=/etc/p.json"), .seccompProfile(path: "/etc/p.json"))
        XCTAssertEqual(errorMessage { _ = try SecurityOption.parse("apparmor=x") }, "invalid --security-opt: \"apparmor=x\"")
        XCTAssertEqual(errorMessage { _ = try SecurityOption.parse("bogus") }, "invalid --security-opt: \"bogus\"")
        XCTAssertEqual(errorMessage { _ = try SecurityOption.parse("no-new-privileges:maybe") },
                       "invalid --security-opt 2: \"no-new-privileges:maybe\"")
    }

    func testEnvEntries() throws {
        XCTAssertEqual(try EnvFile.entry("A=1", environment: [:]), "A=1")
        XCTAssertEqual(try EnvFile.entry("A", environment: ["A": "x"]), "A=x")
        XCTAssertNil(try EnvFile.entry("A", environment: [:]))
        XCTAssertEqual(errorMessage { _ = try EnvFile.entry("=x", environment: [:]) }, "invalid environment variable: =x")
        let content = "# comment\n\n  A=1\nB\nC=has = sign\r\nD\n"
        XCTAssertEqual(try EnvFile.parse(content, name: "env.list", environment: ["B": "b"]),
                       ["A=1", "B=b", "C=has = sign"])
        XCTAssertEqual(errorMessage { _ = try EnvFile.parse("A B=1", name: "env.list", environment: [:]) },
                       "env.list: variable 'A B' contains whitespaces")
        XCTAssertEqual(errorMessage { _ = try EnvFile.parse("=1", name: "env.list", environment: [:]) },
                       "env.list: no variable name on line '=1'")
    }
}
