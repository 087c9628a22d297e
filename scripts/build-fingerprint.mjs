// What the built bundle (dist/patchbay.cjs) was made from: every file under app/ plus the
// package manifest, the lockfile and the build scripts, by path, size and modification time.
// bin/patchbay.js compares it at start (a few ms) to tell a fresh build from a stale one.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

export const BUNDLE = 'dist/patchbay.cjs';
export const BUILD_INFO = 'dist/build-info.json';
const SINGLE_INPUTS = ['package.json', 'package-lock.json', 'scripts/build.mjs', 'scripts/build-fingerprint.mjs', 'scripts/load-bundle.mjs'];

function walk(dir, out) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path, out);
    else out.push(path);
  }
  return out;
}

/** A hash of the inputs' paths, sizes and mtimes (no contents read: it runs on every start). */
export function sourceFingerprint(root) {
  const files = walk(join(root, 'app'), []).concat(SINGLE_INPUTS.map((p) => join(root, p)));
  files.sort();
  const hash = createHash('sha256');
  for (const file of files) {
    let line;
    try {
      const st = statSync(file);
      line = `${relative(root, file)}\t${st.size}\t${st.mtimeMs}\n`;
    } catch {
      line = `${relative(root, file)}\tmissing\n`;
    }
    hash.update(line);
  }
  return hash.digest('hex');
}

/** `undefined` when dist/ holds a build of exactly these sources, else why not (for the user). */
export function whyBuildUnusable(root) {
  let info;
  try {
    info = JSON.parse(readFileSync(join(root, BUILD_INFO), 'utf8'));
    statSync(join(root, BUNDLE));
  } catch {
    return `no build in ${BUNDLE}`;
  }
  if (info.fingerprint !== sourceFingerprint(root)) return `${BUNDLE} is older than the sources (app/ or package files changed since it was built)`;
  return undefined;
}
