// Writes ThirdPartyNotices.txt for the .vsix: the license text of every package bundled into dist/ (from the
// build's metafile) and of the onnxruntime packages shipped beside the bundles.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const bundled = JSON.parse(readFileSync(join(root, 'dist/bundled-packages.json'), 'utf8'));
const packages = [...new Set([...bundled, 'onnxruntime-node', 'onnxruntime-common'])].sort();

const sections = packages.map((name) => {
  const dir = join(root, 'node_modules', name);
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const licenseFile = readdirSync(dir).find((file) => /^(licen[cs]e|copying)(\.|$)/i.test(file));
  const text = licenseFile ? readFileSync(join(dir, licenseFile), 'utf8').trim() : `Licensed under ${manifest.license ?? 'an unstated license'} (no license file in the package).`;
  return `${name}@${manifest.version} (${manifest.license ?? 'unknown'})\n${'-'.repeat(60)}\n${text}\n`;
});

const header = `CancerLLM Notes ships the following third-party packages.\n\n`;
writeFileSync(join(root, 'ThirdPartyNotices.txt'), header + sections.join('\n'));
const unknown = packages.filter((name) => !existsSync(join(root, 'node_modules', name, 'package.json')));
if (unknown.length > 0) throw new Error(`missing packages for notices: ${unknown.join(', ')}`);
console.log(`wrote ThirdPartyNotices.txt (${packages.length} packages)`);
