import { describe, expect, it } from 'vitest';
import type { McpServerConfig } from '../../../shared/ipc/channels/runtime';
import { draftFromServer, draftToInput } from './mcpForm';

const stdio: McpServerConfig = {
  id: 's1',
  name: 'files',
  spec: { transport: 'stdio', command: 'npx', args: ['-y', 'server-files'], env: { API_TOKEN: 'a=b', DEBUG: '1' }, cwd: '/srv/mcp' },
  readOnlyTools: ['read'],
  enabled: true,
  approved: true,
  createdAt: '2026-12-01T10:00:00.000Z',
  updatedAt: '2026-12-01T10:00:00.000Z',
};

describe('MCP server form draft', () => {
  it('saving an unchanged stdio server gives back its whole spec, env and working folder included', () => {
    const out = draftToInput(draftFromServer(stdio), stdio.id);
    expect(out).toEqual({ input: { id: 's1', name: 'files', spec: stdio.spec, readOnlyTools: ['read'], enabled: true } });
  });

  it('keeps the headers of an HTTP server', () => {
    const http = { ...stdio, spec: { transport: 'http', url: 'https://mcp.example.com/mcp', headers: { Authorization: 'Bearer x:y' } } } as McpServerConfig;
    const out = draftToInput(draftFromServer(http), http.id);
    expect('input' in out && out.input.spec).toEqual(http.spec);
  });

  it('names the line of a malformed variable or header, and blank lines are fine', () => {
    const draft = { ...draftFromServer(stdio), env: 'GOOD=1\n\n1BAD=2' };
    expect(draftToInput(draft, null)).toEqual({ errors: { env: expect.stringContaining('Line 3') } });
    const http = { ...draftFromServer(null), name: 'web', transport: 'http' as const, url: 'http://localhost:3001/mcp', headers: 'no colon here' };
    expect(draftToInput(http, null)).toEqual({ errors: { headers: expect.stringContaining('Line 1') } });
  });

  it('an empty working folder is none', () => {
    const out = draftToInput({ ...draftFromServer(stdio), cwd: '  ' }, null);
    expect('input' in out && out.input.spec).toMatchObject({ cwd: null });
  });
});
