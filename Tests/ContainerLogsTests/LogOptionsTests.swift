import ContainerLogs
import Diagnostics
import XCTest

final class LogOptionsTests: XCTestCase {
    func testParsesSizeAndCount() throws {
        XCTAssertEqual(try LogOptions.parse(["max-size=10m", "max-file=3"]), LogOptions(maxSize: 10_000_000, maxFiles: 3))
        XCTAssertEqual(try LogOptions.parse([]), LogOptions(maxSize: nil, maxFiles: 1))
        XCTAssertEqual(try LogOptions.parse(["max-file=5"]), LogOptions(maxSize: nil, maxFiles: 5))
    }

    func testDockerSizeUnits() {
        XCTAssertEqual(LogOptions.parseSize("100"), 100)
        XCTAssertEqual(LogOptions.parseSize("1k"), 1000)
        XCTAssertEqual(LogOptions.parseSize("1KB"), 1000)
        XCTAssertEqual(LogOptions.parseSize("1KiB"), 1000)
        XCTAssertEqual(LogOptions.parseSize("1.5m"), 1_500_000)
        XCTAssertEqual(LogOptions.parseSize("2g"), 2_000_000_000)
        XCTAssertEqual(LogOptions.parseSize("3 M"), 3_000_000)
        XCTAssertNil(LogOptions.parseSize("12q"))
        XCTAssertNil(LogOptions.parseSize(""))
        XCTAssertNil(LogOptions.parseSize("-1m"))
        XCTAssertNil(LogOptions.parseSize("m"))
    }

    func testErrors() {
        func message(_ options: [String]) -> String? {
            do { _ = try LogOptions.parse(options); return nil } catch { return (error as? BerthError)?.message }
        }
        XCTAssertEqual(message(["max-size=12q"]), "invalid max-size: invalid size: '12q'")
        XCTAssertEqual(message(["max-size=0"]), "invalid max-size: max-size must be a positive number")
        XCTAssertEqual(message(["max-file=0"]), "invalid max-file: max-file cannot be less than 1")
        XCTAssertEqual(message(["max-file=x"]), "invalid max-file: strconv.Atoi: parsing \"x\": invalid syntax")
        XCTAssertEqual(message(["mode=fast"]), "unknown log opt 'mode' for json-file log driver")
        XCTAssertNil(message(["tag=x", "compress=false"]))
    }
}
