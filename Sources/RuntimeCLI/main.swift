import RuntimeCommands

#if canImport(Glibc)
import Glibc
#endif

exit(BerthRuntime.main(CommandLine.arguments))
