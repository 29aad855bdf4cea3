import EngineCommands

await BerthCommand.runMain()
