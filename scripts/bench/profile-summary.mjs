// Self time of a .cpuprofile (node --cpu-prof) by package: where a server's CPU goes.
// `node scripts/bench/profile-summary.mjs <file.cpuprofile> [top]`
import { readFileSync } from 'node:fs';

const [file, top = '20'] = process.argv.slice(2);
const profile = JSON.parse(readFileSync(file, 'utf8'));
const owner = ({ url, functionName }) => {
  if (!url) return functionName.startsWith('(') ? functionName : `(native) ${functionName}`;
  const modules = url.lastIndexOf('node_modules/');
  if (modules !== -1) {
    const [scope, name] = url.slice(modules + 'node_modules/'.length).split('/');
    return scope.startsWith('@') ? `${scope}/${name}` : scope;
  }
  if (url.startsWith('node:')) return `node core (${url.slice(5).split('/')[0]})`;
  return url.replace(/^file:\/\/.*?\/(src|dist)\//, '$1/');
};
const self = new Map();
let total = 0;
for (const node of profile.nodes) {
  if (!node.hitCount) continue;
  const key = owner(node.callFrame);
  self.set(key, (self.get(key) ?? 0) + node.hitCount);
  total += node.hitCount;
}
const idle = self.get('(idle)') ?? 0;
console.log(`${total - idle} samples while busy (idle left out)`);
for (const [key, hits] of [...self]
  .filter(([key]) => key !== '(idle)')
  .sort((a, b) => b[1] - a[1])
  .slice(0, Number(top))) {
  console.log(`${((100 * hits) / (total - idle)).toFixed(1).padStart(5)}%  ${key}`);
}
