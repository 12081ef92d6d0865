/**
 * Summaries of a V8 .cpuprofile (node --cpu-prof): the top frames by self time, by inclusive
 * time, and self time per package (node_modules/<name>, node: internals, the app's src/).
 */
import { readFileSync } from 'node:fs';
import { textTable } from './table';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface FrameTime {
  frame: string;
  ms: number;
  percent: number;
}

export interface ProfileSummary {
  totalMs: number;
  idlePercent: number;
  self: FrameTime[];
  inclusive: FrameTime[];
  packages: FrameTime[];
}

function shortUrl(url: string): string {
  if (url === '') return '';
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) return url.slice(modules + 'node_modules/'.length);
  const app = url.indexOf('/app/src/');
  if (app >= 0) return url.slice(app + '/app/'.length);
  const dist = url.indexOf('/dist/src/');
  if (dist >= 0) return url.slice(dist + '/dist/'.length);
  return url.replace(/^file:\/\//, '');
}

function packageOf(url: string): string {
  if (url === '') return '(native/VM)';
  if (url.startsWith('node:')) return 'node: internals';
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const rest = url.slice(modules + 'node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  if (url.includes('/src/')) return 'app src/';
  return shortUrl(url);
}

export function summarizeProfile(file: string, top = 25): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parent.set(child, node.id);
  const key = (node: ProfileNode) => {
    const { functionName, url, lineNumber } = node.callFrame;
    const where = shortUrl(url);
    return `${functionName || '(anonymous)'} ${where ? `${where}:${lineNumber + 1}` : ''}`.trim();
  };
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const packages = new Map<string, number>();
  let totalUs = 0;
  let idleUs = 0;
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i] ?? 0;
    const node = byId.get(id);
    if (!node) return;
    totalUs += us;
    const name = node.callFrame.functionName;
    if (name === '(idle)' || name === '(program)') {
      if (name === '(idle)') idleUs += us;
    }
    const k = key(node);
    self.set(k, (self.get(k) ?? 0) + us);
    const pkg = name.startsWith('(') ? name : packageOf(node.callFrame.url);
    packages.set(pkg, (packages.get(pkg) ?? 0) + us);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at)!;
      if (frame.callFrame.functionName === '(root)') continue;
      const frameKey = key(frame);
      if (seen.has(frameKey)) continue;
      seen.add(frameKey);
      inclusive.set(frameKey, (inclusive.get(frameKey) ?? 0) + us);
    }
  });
  const busyUs = Math.max(1, totalUs - idleUs);
  const rank = (map: Map<string, number>, n: number): FrameTime[] =>
    [...map]
      .filter(([frame]) => frame !== '(idle)')
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([frame, us]) => ({ frame, ms: us / 1000, percent: (us / busyUs) * 100 }));
  return {
    totalMs: totalUs / 1000,
    idlePercent: (idleUs / Math.max(1, totalUs)) * 100,
    self: rank(self, top),
    inclusive: rank(inclusive, top),
    packages: rank(packages, 15),
  };
}

export function formatProfile(summary: ProfileSummary): string {
  const rows = (items: FrameTime[]) =>
    items.map((item) => [item.percent.toFixed(1) + '%', item.ms.toFixed(0), item.frame]);
  return [
    `profile: ${(summary.totalMs / 1000).toFixed(1)} s sampled, ${summary.idlePercent.toFixed(0)}% idle; ` +
      `percentages are of busy (non-idle) time`,
    '',
    'self time by package:',
    textTable(['busy', 'ms', 'package'], rows(summary.packages)),
    '',
    'top frames by self time:',
    textTable(['busy', 'ms', 'frame'], rows(summary.self)),
    '',
    'top frames by inclusive time:',
    textTable(['busy', 'ms', 'frame'], rows(summary.inclusive)),
  ].join('\n');
}

if (require.main === module) {
  const [file, top] = process.argv.slice(2);
  if (!file) {
    console.error('usage: node profile.js <file.cpuprofile> [top]');
    process.exit(2);
  }
  console.log(formatProfile(summarizeProfile(file, Number(top ?? 25))));
}
