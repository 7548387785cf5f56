// Layer rules for src/, checked by `npm run lint` (dependency-cruiser). ESLint checks code; this
// file is the one place that says which module may import which. scripts/layer-rules.test.ts
// proves each rule bites on a small fixture tree.
//
// Paths are relative to the repository root. Packages are listed as allowlists where a layer
// runs somewhere with a narrow API (browser, sandboxed preload, both tsconfig projects), so a
// new dependency there is a decision made here, not an accident.

// Pure libraries the renderer may bundle (browser code: no Node, no database, no server).
const rendererPackages = ['react', 'react-dom', 'zustand', '@tanstack/react-virtual', 'dompurify', 'marked', 'croner', 'zod', 'diff', 'uplot'];
// Pure libraries src/shared may use: it is typed by both tsconfig projects and runs in every process.
const sharedPackages = ['zod', 'croner'];
// A sandboxed preload can require only `electron` (electron.vite.config.ts bundles the rest).
const preloadPackages = ['electron'];
// Test files may also import the test runner.
const testPackages = ['vitest'];

const pkgs = (names) => `(^|/)node_modules/(${names.map((n) => n.replace(/[/.]/g, '\\$&')).join('|')})/`;
const tests = '\\.test\\.tsx?$';
const npm = ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-bundled', 'npm-no-pkg', 'npm-unknown'];
const dataLayer = '^src/main/(db|repositories|logs)/';
const hosts = '^src/main/(host|cli|electron)/|^src/main/core\\.ts$';

// Exceptions to a rule, each one exact (from file, to file) pair. Empty: keep it so. An entry
// needs a reason and an owner, and goes when its file moves.
const temporaryExceptions = {};

const exact = (file) => `^${file.replace(/[.]/g, '\\.')}$`;
// dependency-cruiser has no "except this pair": split a rule into "every other file" plus, per
// excepted file, "this file to anything but the excepted targets".
function withExceptions(rule) {
  const pairs = temporaryExceptions[rule.name];
  if (!pairs) return [rule];
  const froms = [...new Set(pairs.map((p) => p.from))];
  return [
    { ...rule, from: { ...rule.from, pathNot: [].concat(rule.from.pathNot ?? [], froms.map(exact)) } },
    ...froms.map((from) => ({
      ...rule,
      from: { path: exact(from) },
      to: { ...rule.to, pathNot: [].concat(rule.to.pathNot ?? [], pairs.filter((p) => p.from === from).map((p) => exact(p.to))) },
    })),
  ];
}

// The rules below repeat one shape (from a layer, to what it may not reach) on purpose: each is
// its own named rule, so a violation names the rule and prints its reason.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Import cycles make load order matter and hide which module owns what.',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'renderer-not-to-node',
      severity: 'error',
      comment: 'The renderer is browser code: it talks to main only through window.paddock (src/shared/ipc).',
      from: { path: '^src/renderer/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'renderer-not-to-other-layers',
      severity: 'error',
      comment: 'The renderer talks to main only through window.paddock (src/shared/ipc).',
      from: { path: '^src/renderer/' },
      to: { path: '^src/(main|preload)/' },
    },
    {
      name: 'renderer-only-browser-packages',
      severity: 'error',
      comment: `The renderer may bundle only pure browser libraries (${rendererPackages.join(', ')}); no Node, database or server package.`,
      from: { path: '^src/renderer/', pathNot: tests },
      to: { dependencyTypes: npm, pathNot: pkgs(rendererPackages) },
    },
    {
      name: 'renderer-tests-only-browser-packages',
      severity: 'error',
      comment: 'Renderer tests may add only the test runner to the renderer packages.',
      from: { path: `^src/renderer/.*${tests}` },
      to: { dependencyTypes: npm, pathNot: pkgs([...rendererPackages, ...testPackages]) },
    },
    {
      name: 'renderer-lower-layers-not-to-features',
      severity: 'error',
      comment: 'Inside the renderer, state/, lib/, components/ and ipc/ serve every feature and know none; features (and app/, which composes them) sit on top.',
      from: { path: '^src/renderer/(state|lib|components|ipc)/' },
      to: { path: '^src/renderer/(features|app)/' },
    },
    {
      name: 'preload-not-to-main-or-renderer',
      severity: 'error',
      comment: 'The preload exposes the IPC bridge only; it shares code with main through src/shared.',
      from: { path: '^src/preload/' },
      to: { path: '^src/(main|renderer)/' },
    },
    {
      name: 'preload-not-to-node',
      severity: 'error',
      comment: 'A sandboxed preload can require only electron.',
      from: { path: '^src/preload/', pathNot: tests },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'preload-only-electron',
      severity: 'error',
      comment: 'A sandboxed preload can require only electron.',
      from: { path: '^src/preload/' },
      to: { dependencyTypes: npm, pathNot: pkgs([...preloadPackages, ...testPackages]) },
    },
    {
      name: 'shared-only-shared',
      severity: 'error',
      comment: 'src/shared imports nothing from the other layers, so both tsconfig projects can type it.',
      from: { path: '^src/shared/' },
      to: { path: '^src/(main|renderer|preload)/' },
    },
    {
      name: 'shared-not-to-node',
      severity: 'error',
      comment: 'src/shared runs in every process, the browser included.',
      from: { path: '^src/shared/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'shared-only-pure-packages',
      severity: 'error',
      comment: `src/shared may use only pure libraries (${sharedPackages.join(', ')}).`,
      from: { path: '^src/shared/' },
      to: { dependencyTypes: npm, pathNot: pkgs([...sharedPackages, ...testPackages]) },
    },
    {
      name: 'main-not-to-renderer-or-preload',
      severity: 'error',
      comment: 'main is plain Node and never loads browser or preload code.',
      from: { path: '^src/main/' },
      to: { path: '^src/(renderer|preload)/' },
    },
    {
      name: 'electron-only-at-the-edge',
      severity: 'error',
      comment: 'electron may be imported only under src/main/electron/ and src/preload/, so the rest of main runs in plain Node.',
      from: { path: '^src/', pathNot: '^src/(main/electron|preload)/' },
      to: { path: pkgs(['electron']) },
    },
    {
      name: 'data-layer-not-up',
      severity: 'error',
      comment: 'The data layer (db, repositories, logs) is the bottom of main: it knows no services, runtime or hosts.',
      from: { path: dataLayer },
      to: { path: `^src/main/(services|runtime)/|${hosts}` },
    },
    {
      name: 'services-not-to-hosts',
      severity: 'error',
      comment: 'Services are host-neutral: the hosts (Electron, CLI, browser host) and core.ts compose them, not the other way round.',
      from: { path: '^src/main/services/' },
      to: { path: hosts },
    },
  ].flatMap(withExceptions),
  options: {
    doNotFollow: { path: ['node_modules'] },
    exclude: { path: ['\\.generated\\.ts$'] },
    // Type-only imports count too: a type from main in the renderer is still a wrong arrow.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.d.ts', '.js', '.mjs', '.cjs', '.json'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    skipAnalysisNotInRules: true,
  },
};
