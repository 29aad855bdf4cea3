import Diagnostics
import ImageSpec
import ImageStore

/// Which images and layers containers use. Containers arrive with issue 5; until then nothing is
/// in use, and this is the one place that will ask the container store.
enum ImageUsers {
    static func layersInUse(store: ImageStore) throws -> Set<Digest> { [] }

    static func refuseIfUsed(_ image: StoredImage, store: ImageStore, force: Bool) throws {}
}
