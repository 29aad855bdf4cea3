import Diagnostics
import Foundation
import ImageSpec
import LinuxSyscalls
#if canImport(Glibc)
import Glibc
#endif

/// An upload session the registry opened (POST …/blobs/uploads/ answered 202).
public struct UploadSession: Sendable {
    /// Where the next PATCH or the final PUT goes (absolute).
    public var location: URL
    /// OCI-Chunk-Min-Length: the smallest chunk the registry takes, when it says.
    public var minimumChunk: Int?
}

extension RegistryClient {
    /// The chunk size of chunked uploads: env `BERTH_PUSH_CHUNK_SIZE` (bytes, or with a k/m/g
    /// suffix), 16 MiB by default.
    public static func chunkSize(environment: [String: String] = ProcessInfo.processInfo.environment) -> Int {
        let defaultSize = 16 << 20
        guard var text = environment["BERTH_PUSH_CHUNK_SIZE"]?.lowercased().trimmingCharacters(in: .whitespaces),
              !text.isEmpty else { return defaultSize }
        var unit = 1
        if text.hasSuffix("b") { text.removeLast() }
        switch text.last {
        case "k": unit = 1 << 10
        case "m": unit = 1 << 20
        case "g": unit = 1 << 30
        default: break
        }
        if unit > 1 { text.removeLast() }
        guard let value = Int(text), value > 0 else { return defaultSize }
        return value * unit
    }

    /// POST /v2/NAME/blobs/uploads/?mount=DIGEST&from=REPO: a cross-repository mount.
    /// - Returns: nil when the blob was mounted (201), else the upload session the registry
    ///   opened instead (202).
    public func beginUpload(mounting digest: Digest? = nil, from source: String? = nil) async throws -> UploadSession? {
        var path = "\(repository)/blobs/uploads/"
        var scopes = [scope(actions: "pull,push")]
        if let digest, let source {
            path += "?mount=\(digest.string)&from=\(source)"
            scopes.append(scope(source, actions: "pull"))
        }
        let request = HTTPRequest(method: "POST", url: try await url(path: path), headers: ["Content-Length": "0"])
        let response = try await execute(request, scopes: scopes)
        switch response.status {
        case 201 where digest != nil:
            return nil
        case 202:
            guard let location = response.header("Location") else {
                throw BerthError(.external, "start upload: registry sent no Location")
            }
            return UploadSession(location: try await url(location: location),
                                 minimumChunk: response.header("OCI-Chunk-Min-Length").flatMap { Int($0) })
        default:
            throw RegistryErrorBody.error(status: response.status, body: response.body).context("start upload")
        }
    }

    /// Mounts blob `digest` from repository `source` of the same registry.
    /// - Returns: whether it was mounted (false: the registry does not have it there or does not mount).
    public func mountBlob(_ digest: Digest, from source: String) async throws -> Bool {
        try await beginUpload(mounting: digest, from: source) == nil
    }

    /// Uploads blob `digest` of `size` bytes read from `fd` (at offsets 0..<size): monolithic
    /// (POST, then PUT ?digest= with the bytes) up to the chunk size, chunked beyond it (PATCH
    /// with Content-Range per chunk, then PUT ?digest=). At most one chunk is in memory.
    /// - Parameters:
    ///   - session: an upload session already opened (by a mount attempt); a new one otherwise.
    ///   - chunkSize: see `chunkSize(environment:)`; the registry's OCI-Chunk-Min-Length wins if larger.
    ///   - progress: called with the bytes sent so far after each request.
    public func upload(_ digest: Digest, size: Int64, from fd: FileDescriptor, session: UploadSession? = nil,
                       chunkSize: Int = RegistryClient.chunkSize(), progress: @Sendable (Int64) -> Void = { _ in }) async throws {
        var session = session
        if session == nil { session = try await beginUpload() }
        guard var session else { throw BerthError(.external, "upload blob \(digest): no upload session") }
        let chunk = Int64(max(chunkSize, session.minimumChunk ?? 0, 1))
        if size <= chunk {
            let body = try Self.read(fd, offset: 0, count: Int(size))
            try await finishUpload(session, digest: digest, body: body)
            progress(size)
            return
        }
        var offset: Int64 = 0
        while offset < size {
            let count = min(chunk, size - offset)
            let body = try Self.read(fd, offset: offset, count: Int(count))
            let request = HTTPRequest(method: "PATCH", url: session.location, headers: [
                "Content-Type": "application/octet-stream",
                "Content-Range": "\(offset)-\(offset + count - 1)",
                "Content-Length": String(count),
            ], body: body)
            let response = try await execute(request, scopes: [scope(actions: "pull,push")])
            guard response.status == 202 || response.status == 204 else {
                throw RegistryErrorBody.error(status: response.status, body: response.body)
                    .context("upload blob \(digest): chunk at \(offset)")
            }
            if let location = response.header("Location") { session.location = try await url(location: location) }
            offset += count
            progress(offset)
        }
        try await finishUpload(session, digest: digest, body: nil)
    }

    /// PUT <location>?digest=DIGEST, with the last bytes (or all of them) when given.
    private func finishUpload(_ session: UploadSession, digest: Digest, body: Data?) async throws {
        guard var components = URLComponents(url: session.location, resolvingAgainstBaseURL: true) else {
            throw BerthError(.external, "upload blob \(digest): bad upload location \(session.location)")
        }
        let query = "digest=" + digest.string.replacingOccurrences(of: ":", with: "%3A")
        components.percentEncodedQuery = components.percentEncodedQuery.map { $0.isEmpty ? query : "\($0)&\(query)" } ?? query
        guard let url = components.url else { throw BerthError(.external, "upload blob \(digest): bad upload location") }
        var headers = ["Content-Type": "application/octet-stream"]
        headers["Content-Length"] = String(body?.count ?? 0)
        let request = HTTPRequest(method: "PUT", url: url, headers: headers, body: body)
        let response = try await execute(request, scopes: [scope(actions: "pull,push")])
        guard response.status == 201 || response.status == 204 || response.status == 200 else {
            throw RegistryErrorBody.error(status: response.status, body: response.body).context("upload blob \(digest)")
        }
    }

    /// `count` bytes at `offset` of `fd` (pread).
    static func read(_ fd: FileDescriptor, offset: Int64, count: Int) throws -> Data {
        var data = Data(count: count)
        var done = 0
        try data.withUnsafeMutableBytes { buffer in
            while done < count {
                let n = pread(fd.rawValue, buffer.baseAddress! + done, count - done, off_t(offset) + off_t(done))
                if n < 0 {
                    if errno == EINTR { continue }
                    throw BerthError(.system, "read blob at offset \(offset + Int64(done)): \(String(cString: strerror(errno)))", errno: errno)
                }
                if n == 0 { throw BerthError(.system, "read blob: unexpected end of file at \(offset + Int64(done))") }
                done += n
            }
        }
        return data
    }
}
