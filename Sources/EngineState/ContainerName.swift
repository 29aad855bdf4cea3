import Diagnostics

/// Docker's container and volume name rules, and its generated "adjective_surname" names.
public enum ContainerName {
    /// `[a-zA-Z0-9][a-zA-Z0-9_.-]+`, with docker's optional leading "/" removed.
    /// - Throws: `.invalidArgument` with docker's message.
    public static func validated(_ name: String) throws -> String {
        let bare = name.hasPrefix("/") ? String(name.dropFirst()) : name
        guard isValid(bare) else {
            throw BerthError.invalid("invalid container name (\(name)), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed")
        }
        return bare
    }

    /// True for `[a-zA-Z0-9][a-zA-Z0-9_.-]+` of at most 255 bytes (one file name).
    public static func isValid(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard bytes.count >= 2, bytes.count <= 255, isAlphanumeric(bytes[0]) else { return false }
        return bytes.dropFirst().allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") }
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (48...57).contains(byte) || (65...90).contains(byte) || (97...122).contains(byte)
    }

    /// A docker-style name, "adjective_surname"; from the second try on (`retry` > 0) a digit is
    /// appended, as docker's namesgenerator does.
    public static func generate(retry: Int = 0, using generator: inout some RandomNumberGenerator) -> String {
        while true {
            let name = "\(adjectives.randomElement(using: &generator)!)_\(surnames.randomElement(using: &generator)!)"
            if name == "boring_wozniak" { continue }  // Steve Wozniak is not boring (docker's rule).
            return retry > 0 ? name + String(Int.random(in: 0...9, using: &generator)) : name
        }
    }

    public static func generate(retry: Int = 0) -> String {
        var generator = SystemRandomNumberGenerator()
        return generate(retry: retry, using: &generator)
    }

    static let adjectives = [
        "admiring", "adoring", "affectionate", "agitated", "amazing", "angry", "awesome", "beautiful",
        "blissful", "bold", "boring", "brave", "busy", "charming", "clever", "compassionate", "competent",
        "condescending", "confident", "cool", "cranky", "crazy", "dazzling", "determined", "distracted",
        "dreamy", "eager", "ecstatic", "elastic", "elated", "elegant", "eloquent", "epic", "exciting",
        "fervent", "festive", "flamboyant", "focused", "friendly", "frosty", "funny", "gallant", "gifted",
        "goofy", "gracious", "great", "happy", "hardcore", "heuristic", "hopeful", "hungry", "infallible",
        "inspiring", "intelligent", "interesting", "jolly", "jovial", "keen", "kind", "laughing", "loving",
        "lucid", "magical", "modest", "musing", "mystifying", "naughty", "nervous", "nice", "nifty",
        "nostalgic", "objective", "optimistic", "peaceful", "pedantic", "pensive", "practical", "priceless",
        "quirky", "quizzical", "recursing", "relaxed", "reverent", "romantic", "sad", "serene", "sharp",
        "silly", "sleepy", "stoic", "strange", "stupefied", "suspicious", "sweet", "tender", "thirsty",
        "trusting", "unruffled", "upbeat", "vibrant", "vigilant", "vigorous", "wizardly", "wonderful",
        "xenodochial", "youthful", "zealous", "zen",
    ]

    static let surnames = [
        "agnesi", "albattani", "allen", "almeida", "archimedes", "ardinghelli", "aryabhata", "austin",
        "babbage", "banach", "bardeen", "bartik", "bassi", "bell", "benz", "bhabha", "bhaskara", "black",
        "blackwell", "bohr", "booth", "borg", "bose", "boyd", "brahmagupta", "brattain", "brown", "carson",
        "cerf", "chandrasekhar", "chaplygin", "chatelet", "chatterjee", "chebyshev", "clarke", "cohen",
        "colden", "cori", "cray", "curie", "darwin", "davinci", "dijkstra", "dubinsky", "easley", "edison",
        "einstein", "elion", "engelbart", "euclid", "euler", "faraday", "feistel", "fermat", "fermi",
        "feynman", "franklin", "galileo", "gates", "goldberg", "goldstine", "golick", "goodall", "hamilton",
        "hawking", "heisenberg", "hermann", "hertz", "hodgkin", "hofstadter", "hopper", "hypatia", "jang",
        "jennings", "jepsen", "johnson", "joliot", "jones", "kalam", "kare", "keller", "kepler", "khorana",
        "kilby", "knuth", "lamarr", "lamport", "leakey", "leavitt", "lehmann", "lewin", "lovelace",
        "lumiere", "mahavira", "margulis", "matsumoto", "maxwell", "mayer", "mccarthy", "mclean", "meitner",
        "mendel", "merkle", "mirzakhani", "montalcini", "moore", "morse", "napier", "nash", "neumann",
        "newton", "nobel", "noether", "northcutt", "noyce", "panini", "pare", "pascal", "pasteur", "payne",
        "perlman", "pike", "poincare", "poitras", "ptolemy", "raman", "ramanujan", "ride", "ritchie",
        "robinson", "rosalind", "rubin", "saha", "sammet", "shamir", "shannon", "shaw", "shirley",
        "shockley", "sinoussi", "snyder", "spence", "stonebraker", "sutherland", "swanson", "swartz",
        "swirles", "tesla", "thompson", "torvalds", "turing", "varahamihira", "visvesvaraya", "volhard",
        "wescoff", "wiles", "williams", "wilson", "wing", "wozniak", "wright", "wu", "yalow", "yonath",
    ]
}
