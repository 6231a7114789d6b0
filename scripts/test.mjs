// `npm test`: build, typecheck, lint, unit tests (Vitest), e2e tests (Playwright), then one
// closing line "N passed, N failed, N skipped" that CI reads; non-zero exit if anything failed.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const reports = `${root}reports`;
rmSync(reports, { recursive: true, force: true });
mkdirSync(reports, { recursive: true });
const bin = (name) => `${root}node_modules/.bin/${name}`;
const extra = process.argv.slice(2);

const failedSteps = [];
function step(name, cmd, args, env = {}) {
  console.log(`\n=== ${name}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  if (r.status !== 0) failedSteps.push(name);
  return r.status === 0;
}

const only = (name) => extra.length === 0 || extra.includes(name);
if (only('build')) step('build', bin('electron-vite'), ['build']);
if (only('typecheck')) {
  step('typecheck engine', bin('tsc'), ['-p', 'tsconfig.engine.json', '--noEmit']);
  step('typecheck node', bin('tsc'), ['-p', 'tsconfig.node.json', '--noEmit']);
  step('typecheck web', bin('vue-tsc'), ['-p', 'tsconfig.web.json', '--noEmit']);
}
if (only('lint')) step('lint', bin('biome'), ['check', '.']);
if (only('unit')) {
  step('unit tests (vitest)', bin('vitest'), [
    'run',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${reports}/vitest.json`,
  ]);
}
if (only('e2e')) {
  step('e2e tests (playwright)', bin('playwright'), ['test', '--reporter=list,json'], {
    PLAYWRIGHT_JSON_OUTPUT_NAME: `${reports}/playwright.json`,
  });
}

const counts = { passed: 0, failed: 0, skipped: 0 };
const vitest = readJson(`${reports}/vitest.json`);
if (vitest) {
  counts.passed += vitest.numPassedTests ?? 0;
  counts.failed += vitest.numFailedTests ?? 0;
  counts.skipped += (vitest.numPendingTests ?? 0) + (vitest.numTodoTests ?? 0);
  // A test file that fails to load has no tests but must still fail the run.
  if ((vitest.numFailedTestSuites ?? 0) > 0 && (vitest.numFailedTests ?? 0) === 0)
    counts.failed += 1;
}
const pw = readJson(`${reports}/playwright.json`);
if (pw?.stats) {
  counts.passed += (pw.stats.expected ?? 0) + (pw.stats.flaky ?? 0);
  counts.failed += pw.stats.unexpected ?? 0;
  counts.skipped += pw.stats.skipped ?? 0;
}
if (failedSteps.length > 0) console.log(`\nfailed steps: ${failedSteps.join(', ')}`);
const ranNothing = counts.passed + counts.failed === 0;
if (ranNothing) console.log('no tests ran');
console.log(`\n${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
process.exit(failedSteps.length > 0 || counts.failed > 0 || ranNothing ? 1 : 0);

function readJson(path) {
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}
