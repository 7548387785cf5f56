// Starter agents: ready-made instructions and tool choices a new user completes (model, folders)
// instead of starting from a blank form. Every starter is disarmed by construction: it asks
// before any change (mode "ask"), has no schedule and no folders until the user adds them.
import type { PermissionMode } from '../../../shared/domain';

export interface Starter {
  id: string;
  name: string;
  avatar: string;
  description: string;
  instructions: string;
  builtinTools: string[];
  mcpServers: string[];
  /** What the user still has to do before the first run, shown in the gallery. */
  todo: string;
}

export const STARTER_PERMISSION_MODE: PermissionMode = 'ask';

export const STARTERS: readonly Starter[] = [
  {
    id: 'code-reviewer',
    name: 'Code reviewer',
    avatar: '🔍',
    description: 'Reads a project and reviews it: bugs, risky changes, unclear code. Never edits.',
    instructions:
      'You are a careful code reviewer. Read the files you are pointed at, understand what they do, and report concrete problems: bugs, missing error handling, security risks, unclear names. Quote file and line for each finding and suggest a fix. Do not change any file.',
    builtinTools: ['read_file', 'list_directory', 'find_files', 'search_files'],
    mcpServers: [],
    todo: 'Pick a model and add the project folder it may read.',
  },
  {
    id: 'researcher',
    name: 'Researcher',
    avatar: '🌐',
    description: 'Looks things up on the web through an MCP fetch server and writes a sourced summary.',
    instructions:
      'You are a researcher. Use the fetch tool to read the pages you need, compare sources, and answer with a short summary followed by the list of sources you used. Say clearly when sources disagree or when you could not verify something.',
    builtinTools: [],
    mcpServers: ['fetch'],
    todo: 'Pick a model and add an MCP server named “fetch” in Settings (e.g. mcp-server-fetch).',
  },
  {
    id: 'file-organiser',
    name: 'File organiser',
    avatar: '🗂️',
    description: 'Proposes a tidy folder structure and moves files only after you approve each step.',
    instructions:
      'You organise files. First list the folder and propose a structure (folders and which files go where) and wait for the user to agree. Then make the changes one by one; every change needs the user’s approval. Never delete a file.',
    builtinTools: ['list_directory', 'read_file', 'find_files', 'write_file', 'run_shell'],
    mcpServers: [],
    todo: 'Pick a model and add the folder to organise. Every change asks you first.',
  },
];
