import Diagnostics
import XCTest

/// The message of the BerthError `body` throws, or nil when it does not throw.
func errorMessage(_ body: () throws -> Void, file: StaticString = #filePath, line: UInt = #line) -> String? {
    do {
        try body()
        return nil
    } catch let error as BerthError {
        return error.message
    } catch {
        XCTFail("not a BerthError: \(error)", file: file, line: line)
        return nil
    }
}
