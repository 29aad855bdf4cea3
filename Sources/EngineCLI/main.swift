import EngineCommands

BerthCommand.main()
