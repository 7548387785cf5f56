// Where `paddock serve` keeps its data when no --data-dir is given: the same folder the desktop
// app uses (Electron's userData for an app named "Paddock"), so both hosts see the same agents.
import os from 'node:os';
import path from 'node:path';

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.PADDOCK_DATA_DIR) return path.resolve(env.PADDOCK_DATA_DIR);
  const home = os.homedir();
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Paddock');
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Paddock');
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'Paddock');
}
