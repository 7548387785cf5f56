// In a packaged desktop app the code runs from resources/app.asar, an archive that only Electron's
// own file-system patches can read. Files that Node opens by itself — a worker thread's script,
// a native module and the packages it requires from there — are unpacked beside it into
// app.asar.unpacked (asarUnpack in electron-builder.yml); this maps a path to that copy.

const ARCHIVE = /([\\/])app\.asar([\\/])/;

/** The same path in app.asar.unpacked when it points inside app.asar; otherwise unchanged. */
export function unpackedPath(file: string): string {
  return file.replace(ARCHIVE, '$1app.asar.unpacked$2');
}
