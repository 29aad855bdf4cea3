import Diagnostics
import LinuxSyscalls
import RuntimeClient
import XCTest

final class RuntimeLocatorTests: XCTestCase {
    func testOrder() throws {
        let fake = try FakeRuntime(name: "berth-runtime")
        let other = try FakeRuntime(name: "runc")
        let dir = fake.directory

        // BERTH_RUNTIME first: a path, or a name in PATH.
        XCTAssertEqual(try RuntimeLocator(environment: ["BERTH_RUNTIME": other.path, "PATH": dir],
                                          executablePath: dir + "/berth").locate(), other.path)
        XCTAssertEqual(try RuntimeLocator(environment: ["BERTH_RUNTIME": "runc", "PATH": "/nowhere:" + other.directory],
                                          executablePath: nil).locate(), other.path)
        XCTAssertThrowsError(try RuntimeLocator(environment: ["BERTH_RUNTIME": "/no/such"], executablePath: dir + "/berth")
            .locate()) { error in
            XCTAssertEqual((error as! BerthError).code, .notFound)
            XCTAssertTrue("\(error)".contains("BERTH_RUNTIME=/no/such"), "\(error)")
        }
        // Next to the executable, before PATH.
        XCTAssertEqual(try RuntimeLocator(environment: ["PATH": "/usr/bin"], executablePath: dir + "/berth").locate(),
                       fake.path)
        // PATH.
        XCTAssertEqual(try RuntimeLocator(environment: ["PATH": "/nowhere:" + dir], executablePath: "/usr/bin/berth")
            .locate(), fake.path)
        // Nowhere: a clear error.
        XCTAssertThrowsError(try RuntimeLocator(environment: ["PATH": "/nowhere"], executablePath: "/usr/bin/berth")
            .locate()) { error in
            XCTAssertEqual((error as! BerthError).code, .notFound)
            XCTAssertTrue("\(error)".contains("BERTH_RUNTIME"), "\(error)")
        }
    }

    func testNonExecutableFilesAreSkipped() throws {
        let fake = try FakeRuntime(name: "berth")
        try Files.create(fake.directory + "/berth-runtime", [], mode: 0o644)
        try Files.makeDirectory(fake.directory + "/sub")
        try Files.makeDirectory(fake.directory + "/sub/berth-runtime")
        XCTAssertThrowsError(try RuntimeLocator(environment: ["PATH": fake.directory + ":" + fake.directory + "/sub"],
                                                executablePath: fake.path).locate())
    }

    func testCurrentReadsThisProcess() {
        let locator = RuntimeLocator.current()
        XCTAssertNotNil(locator.executablePath)
        XCTAssertNotNil(locator.environment["PATH"])
    }
}
