// The native menu: the platform's usual roles (which bring the standard shortcuts: copy,
// paste, undo, zoom, full screen, quit), no developer tools in packaged builds, and Paddock's
// own items (desktop-actions.ts): Open Data Folder, Back Up Now, About.
import type { MenuItemConstructorOptions } from 'electron';

export interface MenuOptions {
  platform: NodeJS.Platform;
  appName: string;
  isPackaged: boolean;
  openDataFolder: () => void;
  backUpNow: () => void;
  showAbout: () => void;
  openWebsite: () => void;
}

export function buildMenuTemplate(options: MenuOptions): MenuItemConstructorOptions[] {
  const mac = options.platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [];
  if (mac) {
    template.push({
      label: options.appName,
      submenu: [
        { label: `About ${options.appName}`, click: () => options.showAbout() },
        { type: 'separator' },
        { role: 'services' },
        { type: 'separator' },
        { role: 'hide' },
        { role: 'hideOthers' },
        { role: 'unhide' },
        { type: 'separator' },
        { role: 'quit' },
      ],
    });
  }
  template.push(
    {
      label: 'File',
      submenu: [
        { label: 'Open Data Folder', click: () => options.openDataFolder() },
        { label: 'Back Up Now', click: () => options.backUpNow() },
        { type: 'separator' },
        mac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        { role: 'reload' },
        ...(options.isPackaged ? [] : ([{ role: 'toggleDevTools' }] as MenuItemConstructorOptions[])),
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [
        { label: 'Paddock on the Web', click: () => options.openWebsite() },
        // On macOS About sits in the app menu, where people look for it.
        ...(mac ? [] : ([{ type: 'separator' }, { label: `About ${options.appName}`, click: () => options.showAbout() }] as MenuItemConstructorOptions[])),
      ],
    },
  );
  return template;
}
