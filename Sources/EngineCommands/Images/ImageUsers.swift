import ContainerEngine
import Diagnostics
import EngineState
import ImageSpec
import ImageStore

/// Which images and layers containers use: the one place `rmi` and `image prune` ask.
enum ImageUsers {
    /// The layers of every image a container was made from: garbage collection keeps them.
    static func layersInUse(store: ImageStore) throws -> Set<Digest> {
        let used = try ContainerUsage.imagesInUse(root: store.root)
        return Set(try store.images().filter { used.contains($0.id.string) }.flatMap(\.diffIDs))
    }

    /// docker's rules for removing an image containers use: never while one runs; with `force`
    /// only its names go (the image stays for its containers, as docker keeps it); else a conflict.
    /// - Returns: true when containers use the image (the caller untags instead of deleting).
    static func refuseIfUsed(_ image: StoredImage, store: ImageStore, force: Bool) throws -> Bool {
        let users = try ContainerUsage.containers(usingImage: image.id.string, root: store.root)
        guard let first = users.first else { return false }
        if let running = users.first(where: { $0.state == .running || $0.state == .paused || $0.state == .restarting }) {
            throw BerthError(.invalidState, "conflict: unable to delete \(image.id.shortID) (cannot be forced) - "
                + "image is being used by running container \(running.id.prefix(12))")
        }
        guard force else {
            throw BerthError(.invalidState, "conflict: unable to delete \(image.id.shortID) (must be forced) - "
                + "image is being used by stopped container \(first.id.prefix(12))")
        }
        return true
    }
}
