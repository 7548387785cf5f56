// Child process for the tool-process crash test (tools/processes.test.ts), bundled with esbuild:
// runs a shell command through the real run_shell code path with a recorded ToolProcesses, until
// the parent SIGKILLs it, or (mode "exit") until the command ends, then exits.
// argv: <record file> <working directory> <command> [mode]
import { ToolProcesses } from '../tools/processes';
import { runCommand } from '../tools/shell';

const [file, cwd, command, mode] = process.argv.slice(2) as [string, string, string, string | undefined];
const processes = new ToolProcesses(file);
const ran = runCommand(command, { cwd, timeoutMs: 600_000, signal: new AbortController().signal, processes });
process.stdout.write('started\n');
if (mode === 'exit') void ran.then(() => process.exit(0));
else setInterval(() => undefined, 1000);
