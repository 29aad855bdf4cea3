import XCTest

final class PlaceholderContainerLogsTests: XCTestCase {
    func testNothingYet() {}
}
