// RuntimeClient: see Package.swift.
