import XCTest

final class PlaceholderRuntimeClientTests: XCTestCase {
    func testNothingYet() {}
}
