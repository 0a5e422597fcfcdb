#!/usr/bin/env node
// Summarises a V8 CPU profile (from `node --cpu-prof`): self time by function, by file or by
// package, and the total time of the functions matching --match (inclusive of their callees).
// Usage: node bench/profile.mjs FILE.cpuprofile [--by function|file|package] [--top N]
//        [--match TEXT]
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    by: { type: 'string', default: 'function' },
    top: { type: 'string', default: '25' },
    match: { type: 'string', multiple: true, default: [] },
  },
});
const profile = JSON.parse(readFileSync(positionals[0], 'utf8'));
const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
const selfUs = new Map();
const { samples, timeDeltas } = profile;
for (let i = 0; i < samples.length; i += 1) {
  selfUs.set(samples[i], (selfUs.get(samples[i]) ?? 0) + (timeDeltas[i] ?? 0));
}
const totalUs = profile.endTime - profile.startTime;

const short = (url) =>
  url
    .replace(/^file:\/\//, '')
    .replace(/.*\/node_modules\//, 'node_modules/')
    .replace(/.*\/dist\//, 'dist/');
function keyOf(frame) {
  const url = short(frame.url || '(native)');
  if (values.by === 'file') return url;
  if (values.by === 'package') {
    if (url.startsWith('node_modules/')) return url.split('/').slice(0, 2).join('/');
    if (url.startsWith('dist/')) return url.split('/').slice(0, 3).join('/');
    if (url.startsWith('node:')) return 'node: (built-in modules)';
    return url;
  }
  return `${frame.functionName || '(anonymous)'} ${url}:${frame.lineNumber + 1}`;
}

const byKey = new Map();
for (const [id, us] of selfUs) {
  const key = keyOf(nodes.get(id).callFrame);
  byKey.set(key, (byKey.get(key) ?? 0) + us);
}
const ms = (us) => (us / 1000).toFixed(1).padStart(8);
console.log(
  `profile: ${ms(totalUs)} ms wall, ${samples.length} samples; self time by ${values.by}:`,
);
for (const [key, us] of [...byKey].sort((a, b) => b[1] - a[1]).slice(0, Number(values.top))) {
  console.log(`${ms(us)} ms  ${((100 * us) / totalUs).toFixed(1).padStart(5)}%  ${key}`);
}

// Inclusive time of functions whose "name url" contains a --match text (each sample counted once).
if (values.match.length > 0) {
  const parent = new Map();
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parent.set(child, node.id);
  console.log('\ninclusive time of matching functions:');
  for (const text of values.match) {
    let us = 0;
    for (const [id, self] of selfUs) {
      for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
        const frame = nodes.get(cur).callFrame;
        if (`${frame.functionName} ${frame.url}`.includes(text)) {
          us += self;
          break;
        }
      }
    }
    console.log(`${ms(us)} ms  ${((100 * us) / totalUs).toFixed(1).padStart(5)}%  ${text}`);
  }
}
