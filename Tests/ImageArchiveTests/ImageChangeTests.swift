import ImageSpec
import XCTest

@testable import ImageArchive

final class ImageChangeTests: XCTestCase {
    private func config(_ changes: String...) throws -> ContainerConfig {
        var config = ContainerConfig()
        try ImageChange.apply(changes, to: &config)
        return config
    }

    func testCmdAndEntrypointForms() throws {
        XCTAssertEqual(try config(#"CMD ["sh", "-c", "echo hi"]"#).cmd, ["sh", "-c", "echo hi"])
        XCTAssertEqual(try config("CMD echo $HOME").cmd, ["/bin/sh", "-c", "echo $HOME"])
        XCTAssertEqual(try config("cmd [not json").cmd, ["/bin/sh", "-c", "[not json"])
        let both = try config(#"CMD ["x"]"#, #"ENTRYPOINT ["/bin/app"]"#)
        XCTAssertEqual(both.entrypoint, ["/bin/app"])
        XCTAssertEqual(both.cmd, ["x"], "a CMD set by an earlier change stays")
    }

    func testEnvAndLabels() throws {
        let env = try config("ENV PATH=/bin A=\"two words\" B='$PATH'", "ENV C=${PATH}:/x", "ENV LEGACY some value", "ENV A=1")
        XCTAssertEqual(env.env, ["PATH=/bin", "B=$PATH", "C=/bin:/x", "LEGACY=some value", "A=1"])
        let labels = try config(#"LABEL a=b "c d"=e"#, "LABEL a=z")
        XCTAssertEqual(labels.labels, ["a": "z", "c d": "e"])
        XCTAssertThrowsError(try config("ENV =x"))
        XCTAssertThrowsError(try config("ENV A=\"unterminated"))
    }

    func testPortsVolumesAndPaths() throws {
        let ports = try config("EXPOSE 80 53/UDP 8000-8001")
        XCTAssertEqual(Set(ports.exposedPorts?.keys ?? [:].keys), ["80/tcp", "53/udp", "8000/tcp", "8001/tcp"])
        XCTAssertThrowsError(try config("EXPOSE 70000"))
        XCTAssertThrowsError(try config("EXPOSE 80/ip"))
        XCTAssertEqual(Set(try config(#"VOLUME ["/data", "/logs"]"#).volumes?.keys ?? [:].keys), ["/data", "/logs"])
        XCTAssertEqual(Set(try config("VOLUME /a /b").volumes?.keys ?? [:].keys), ["/a", "/b"])
        XCTAssertEqual(try config("WORKDIR /srv", "WORKDIR app/../www").workingDir, "/srv/www")
        XCTAssertEqual(try config("USER 1000:1000").user, "1000:1000")
    }

    func testStopSignals() throws {
        XCTAssertEqual(try config("STOPSIGNAL SIGINT").stopSignal, "SIGINT")
        XCTAssertEqual(try config("STOPSIGNAL 9").stopSignal, "9")
        XCTAssertEqual(try config("STOPSIGNAL SIGRTMIN+3").stopSignal, "SIGRTMIN+3")
        XCTAssertThrowsError(try config("STOPSIGNAL SIGNOPE"))
        XCTAssertThrowsError(try config("STOPSIGNAL 99"))
    }

    func testRejectsUnknownAndEmptyInstructions() {
        XCTAssertThrowsError(try config("RUN rm -rf /")) { error in
            XCTAssertTrue("\(error)".contains("unsupported instruction"), "\(error)")
        }
        XCTAssertThrowsError(try config("CMD"))
        XCTAssertThrowsError(try config(""))
    }
}
