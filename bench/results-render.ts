/// <reference lib="dom" />
/**
 * Results render benchmark: an 8-tenant run's Results tab must render without a main-thread task
 * over 100 ms. Starts the browser-mode server, runs `collaborative` on eight zoo tenants on the
 * ISAAC tile at 32x32, then in Debian Chromium opens the project on its Run tab and switches to
 * Results while a PerformanceObserver records every long task (the browser's own definition:
 * over 50 ms on the main thread) until the floorplan, timeline, charts, layer table and serving
 * form are shown, and half a second more. A Chromium trace of the same interval gives each
 * main-thread task's CPU time beside its wall time (on a shared machine the wall time includes
 * time the core served other jobs).
 * Cold (first open) and warm (switching back), five times each. Run by `npm run bench results-render`.
 */
import type { Browser } from 'playwright-core';
import { prepare, withBenchServer } from './floorplan';

const MIX = ['lenet5', 'resnet20-cifar', 'vgg8-cifar', 'resnet18', 'mobilenet_v2', 'squeezenet1_1', 'googlenet', 'alexnet'];
const REPEATS = 5;
const LIMIT_MS = 100;

/**
 * The page's main-thread tasks from a Chromium trace: wall time and the thread's CPU time of each
 * (trace `RunTask` events on `CrRendererMain`, `dur` and `tdur`). On a machine shared with other
 * jobs a task's wall time includes the time the OS gave the core to someone else; its CPU time does
 * not, and is what the same task takes on an idle machine.
 */
async function mainThreadTasks(browser: Browser): Promise<{ wall_ms: number; cpu_ms: number }[]> {
  type TraceEvent = { ph: string; name: string; pid: number; tid: number; dur?: number; tdur?: number; args?: { name?: string } };
  const parsed = JSON.parse((await browser.stopTracing()).toString('utf8')) as TraceEvent[] | { traceEvents: TraceEvent[] };
  const events = Array.isArray(parsed) ? parsed : parsed.traceEvents;
  const main = new Set(events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
  return events
    .filter((e) => e.ph === 'X' && e.name === 'RunTask' && main.has(`${e.pid}:${e.tid}`))
    .map((e) => ({ wall_ms: Math.round((e.dur ?? 0) / 1000), cpu_ms: Math.round((e.tdur ?? 0) / 1000) }));
}

function observeLongTasks(): void {
  const w = window as unknown as { longTasks: number[] };
  w.longTasks = [];
  new PerformanceObserver((l) => l.getEntries().forEach((e) => w.longTasks.push(e.duration))).observe({ type: 'longtask', buffered: false });
}

export default function run(): Promise<object> {
  return withBenchServer('retile-bench-results-', async ({ call, url, launch }) => {
    const project = await prepare(call, 'results 8 tenants', [32, 32], MIX);
    const detail = await call<{ result: { layers: unknown[]; timeline: unknown[] } }>('getRun', { project: project.file, runId: 1 });
    const browser = await launch();
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.addInitScript(observeLongTasks);
    await page.goto(url);
    await page.getByTestId('project-item').filter({ hasText: 'results 8 tenants' }).click();
    const samples: { kind: string; long_tasks_ms: number[]; long_tasks_cpu_ms: number[]; worst_task_cpu_ms: number }[] = [];
    for (let i = 0; i < REPEATS * 2; i++) {
      await page.getByRole('tab', { name: /^Run/ }).click();
      await page.waitForTimeout(300);
      await page.evaluate(() => ((window as unknown as { longTasks: number[] }).longTasks = []));
      await browser.startTracing(page, { categories: ['toplevel', 'devtools.timeline', 'disabled-by-default-devtools.timeline'] });
      await page.getByRole('tab', { name: /^Results/ }).click();
      // The page mounts section by section; the serving form is the last.
      await page.getByTestId('layer-table-row').first().waitFor({ timeout: 30_000 });
      await page.getByTestId('chart-heatmap').waitFor();
      await page.getByTestId('start-serve').waitFor();
      await page.waitForTimeout(500);
      const tasks = await page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks.map((d) => Math.round(d)));
      const traced = await mainThreadTasks(browser);
      samples.push({
        kind: i === 0 ? 'cold' : 'warm',
        long_tasks_ms: tasks,
        // The CPU time of the tasks whose wall time was over 50 ms, and of the longest task by CPU time.
        long_tasks_cpu_ms: traced.filter((t) => t.wall_ms > 50).map((t) => t.cpu_ms),
        worst_task_cpu_ms: Math.max(0, ...traced.map((t) => t.cpu_ms)),
      });
    }
    const worst = Math.max(0, ...samples.flatMap((s) => s.long_tasks_ms));
    const worstCpu = Math.max(0, ...samples.map((s) => s.worst_task_cpu_ms));
    const dom = await page.evaluate(() => document.querySelectorAll('*').length);
    process.stdout.write(`8 tenants, ${detail.result.layers.length} layer rows, ${detail.result.timeline.length} timeline bars, ${dom} DOM nodes\n`);
    for (const s of samples) process.stdout.write(`${s.kind.padEnd(5)} long tasks (ms): ${s.long_tasks_ms.join(', ') || 'none'}; their CPU time (ms): ${s.long_tasks_cpu_ms.join(', ') || 'none'}; most CPU in one task: ${s.worst_task_cpu_ms} ms\n`);
    process.stdout.write(`worst main-thread task: ${worst} ms wall (target under ${LIMIT_MS} ms); most main-thread CPU time in one task: ${worstCpu} ms\n`);
    return {
      target: `no main-thread task over ${LIMIT_MS} ms while the Results tab of an 8-tenant run renders`,
      worst_task_ms: worst,
      within_target: worst < LIMIT_MS,
      worst_task_cpu_ms: worstCpu,
      within_target_cpu: worstCpu < LIMIT_MS,
      tenants: MIX,
      mesh: [32, 32],
      layer_rows: detail.result.layers.length,
      timeline_bars: detail.result.timeline.length,
      dom_nodes: dom,
      samples,
      browser: browser.version(),
    };
  });
}
