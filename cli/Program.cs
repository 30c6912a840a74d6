using Faas.Cli;

return await CliApp.InvokeAsync(CliContext.FromConsole(), args);
