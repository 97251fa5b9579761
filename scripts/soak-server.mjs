// `npm run soak -- [--seconds 60] [--record]`: a soak of the browser-mode server (out/main/server.js,
// the real process, its own temporary workspace). For the given time it sends, all at once:
// malformed request targets and half-sent requests on raw sockets, calls without the token or with
// a foreign Host or Origin, calls with bad arguments, event-stream clients that drop at random,
// and deployment runs started on two projects and cancelled at random. Every few seconds it
// checks that the server answers and samples its resident memory. It ends with one JSON summary
// (stdout; with --record also bench/results/soak.json) and exits 1 if the server died, answered
// a well-formed call with a 5xx, or a run ended in neither finished, failed nor cancelled.
// npm test runs it for a few seconds (test/unit/reliability/server-soak.test.ts); a soak is about time, so run it longer by hand.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuild, ROOT } from './ensure-build.mjs';

const argValue = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const seconds = Number(argValue('--seconds', '60'));
if (!Number.isFinite(seconds) || seconds <= 0) {
  process.stderr.write('soak: --seconds expects a positive number\n');
  process.exit(2);
}
const record = process.argv.includes('--record');

ensureBuild();
const workspace = mkdtempSync(join(tmpdir(), 'retile-soak-'));
const token = 'soak-token-0123456789abcdef';
const server = spawn(process.execPath, [join(ROOT, 'out/main/server.js')], {
  env: { ...process.env, RETILE_WORKSPACE: workspace, RETILE_TOKEN: token, RETILE_PORT: '0' },
  stdio: ['ignore', 'pipe', 'pipe'],
});
let serverErr = '';
server.stderr.on('data', (c) => (serverErr += c));
let died = null;
server.once('exit', (code, signal) => (died = { code, signal }));
const port = await new Promise((resolve, reject) => {
  let out = '';
  server.stdout.on('data', (c) => {
    out += c;
    const m = /serving at http:\/\/127\.0\.0\.1:(\d+)\//.exec(out);
    if (m) resolve(Number(m[1]));
  });
  server.once('exit', () => reject(new Error(`the server did not start: ${serverErr}`)));
});
const base = `http://127.0.0.1:${port}`;

const counts = {};
const count = (key) => (counts[key] = (counts[key] ?? 0) + 1);
const problems = [];

/** How long any one call may go unanswered before the soak counts it as a problem (never a silent hang). */
const ANSWER_MS = 30_000;

async function call(method, args, headers = {}) {
  // (fetch ignores a Host header; foreign Hosts are sent on raw sockets below)
  let res;
  try {
    res = await fetch(`${base}/api/${method}`, {
      method: 'POST',
      headers: { 'x-retile-token': token, 'content-type': 'application/json', ...headers },
      body: args === undefined ? '' : JSON.stringify(args),
      signal: AbortSignal.timeout(ANSWER_MS),
    });
  } catch (e) {
    problems.push(`${method} got no answer: ${e.name === 'TimeoutError' ? `none within ${ANSWER_MS / 1000} s` : e.message}`);
    return { status: 0, body: null };
  }
  const text = await res.text();
  let body = null;
  try {
    body = JSON.parse(text);
  } catch {
    // a refusal may be plain text
  }
  return { status: res.status, body };
}

/** A well-formed call: its status is counted; a 5xx is a problem. */
async function wellFormed(method, args) {
  const r = await call(method, args);
  count(`call ${r.status}`);
  if (r.status >= 500) problems.push(`${method} answered ${r.status}: ${JSON.stringify(r.body).slice(0, 200)}`);
  return r;
}

function rawRequest(text, { closeAfterMs = 250 } = {}) {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    let answer = '';
    s.on('data', (c) => (answer += c));
    s.on('error', () => {});
    s.on('connect', () => s.write(text));
    setTimeout(() => {
      s.destroy();
      resolve(answer.slice(0, 12));
    }, closeAfterMs);
  });
}

const MALFORMED = ['//%', '//[', 'http://[', '//a:99999', '/api/%zz', '/%00', '//%25zz', '/api/appInfo?%', '*'];
const deadline = Date.now() + seconds * 1000;
const running = () => Date.now() < deadline && !died;
const jobs = new Map();

async function malformedLoop() {
  for (let i = 0; running(); i++) {
    const target = MALFORMED[i % MALFORMED.length];
    const answer = await rawRequest(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
    count(`malformed ${answer.slice(9, 12) || 'closed'}`);
    // Half-sent requests: headers never finished, a body shorter than its length.
    await rawRequest(`POST /api/appInfo HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Length: 100\r\n\r\n{"a":`, { closeAfterMs: 20 });
    count('half-sent');
  }
}

async function refusedLoop() {
  const variants = [{ 'x-retile-token': 'wrong' }, { origin: 'https://evil.example' }];
  for (let i = 0; running(); i++) {
    const r = await call('listProjects', undefined, variants[i % variants.length]);
    count(`refused ${r.status}`);
    if (r.status < 400) problems.push(`a call with ${JSON.stringify(variants[i % variants.length])} was answered ${r.status}`);
    // fetch cannot set Host: a DNS-rebinding Host goes over a raw socket.
    const rebound = await rawRequest(`POST /api/listProjects HTTP/1.1\r\nHost: localhost.evil:${port}\r\nx-retile-token: ${token}\r\nContent-Length: 0\r\n\r\n`);
    const status = rebound.slice(9, 12);
    count(`foreign host ${status || 'closed'}`);
    if (/^[23]/.test(status)) problems.push(`a call with Host localhost.evil was answered ${status}`);
    const bad = await call(i % 2 ? 'getProject' : 'startRun', i % 2 ? { project: '../../etc/passwd.retile' } : { project: 'a.retile', strategy: 'x', objective: 'y', seed: -1 });
    count(`bad-args ${bad.status}`);
    if (bad.status >= 500) problems.push(`bad arguments were answered ${bad.status}`);
  }
}

async function eventClientsLoop() {
  while (running()) {
    const ac = new AbortController();
    const unanswered = setTimeout(() => {
      problems.push(`the event stream gave no headers within ${ANSWER_MS / 1000} s`);
      ac.abort();
    }, ANSWER_MS);
    try {
      const res = await fetch(`${base}/api/events?token=${token}`, { signal: ac.signal });
      clearTimeout(unanswered);
      count(`events ${res.status}`);
      const reader = res.body.getReader();
      const stopAt = Date.now() + Math.random() * 500;
      while (Date.now() < stopAt) {
        const r = await Promise.race([reader.read(), new Promise((resolve) => setTimeout(() => resolve({ timeout: true }), 100))]);
        if (r.done) break;
      }
    } catch {
      // the drop itself
    }
    clearTimeout(unanswered);
    ac.abort();
    count('events dropped');
  }
}

async function runsLoop(project) {
  for (let seed = 1; running(); seed++) {
    const strategy = ['direct', 'operator', 'tenant'][seed % 3];
    const r = await wellFormed('startRun', { project, strategy, objective: 'makespan', seed });
    if (r.status !== 200) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      continue;
    }
    count('runs started');
    const { jobId, runId } = r.body.result;
    jobs.set(jobId, { project, runId });
    if (Math.random() < 0.4) {
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 300));
      await wellFormed('cancelJob', { jobId });
      count('cancels sent');
    }
    // Let the queue drain a little before the next run.
    for (let i = 0; i < 100 && running(); i++) {
      const list = await wellFormed('listJobs');
      if (!list.body?.result?.some((j) => j.jobId === jobId)) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

let maxRssMb = 0;
async function watchLoop() {
  while (running()) {
    const alive = await call('appInfo');
    if (alive.status !== 200 && !died) problems.push(`appInfo answered ${alive.status}`);
    try {
      const rss = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
      maxRssMb = Math.max(maxRssMb, rss);
    } catch {
      // not Linux, or the process is gone (reported below)
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

const started = Date.now();
for (const name of ['soak-a', 'soak-b']) {
  await wellFormed('createProject', { name, preset: 'isaac' });
  await wellFormed('addZooTenant', { project: `${name}.retile`, model: 'lenet5', batch: 2 });
  await wellFormed('addZooTenant', { project: `${name}.retile`, model: 'resnet20-cifar', batch: 1 });
}
await Promise.all([malformedLoop(), refusedLoop(), eventClientsLoop(), eventClientsLoop(), runsLoop('soak-a.retile'), runsLoop('soak-b.retile'), watchLoop()]);

// Wait (a minute at most) for the last jobs, then every run must have ended in a final state.
const drainBy = Date.now() + 60_000;
while (!died) {
  const list = await call('listJobs');
  if (!list.body?.result?.length) break;
  if (Date.now() > drainBy) {
    problems.push(`jobs still listed a minute after the soak: ${JSON.stringify(list.body.result).slice(0, 300)}`);
    break;
  }
  await new Promise((resolve) => setTimeout(resolve, 100));
}
const statuses = {};
if (!died) {
  for (const project of ['soak-a.retile', 'soak-b.retile']) {
    const runs = (await wellFormed('listRuns', { project })).body?.result ?? [];
    for (const r of runs) {
      statuses[r.status] = (statuses[r.status] ?? 0) + 1;
      if (!['finished', 'failed', 'cancelled'].includes(r.status)) problems.push(`run ${r.id} of ${project} ended ${r.status}`);
    }
  }
}
if (died) problems.push(`the server died: ${JSON.stringify(died)}; stderr: ${serverErr.slice(-500)}`);
server.kill('SIGTERM');
const exited = await new Promise((resolve) => {
  if (died) return resolve(true);
  const late = setTimeout(() => resolve(false), 20_000);
  server.once('exit', () => resolve(!clearTimeout(late)));
});
if (!exited) {
  problems.push('the server did not exit within 20 s of SIGTERM');
  server.kill('SIGKILL');
}
rmSync(workspace, { recursive: true, force: true });

const summary = {
  date: new Date().toISOString(),
  node: process.versions.node,
  load_average_1min: Number(loadavg()[0].toFixed(1)),
  seconds: Math.round((Date.now() - started) / 1000),
  counts,
  runs: statuses,
  max_rss_mb: Math.round(maxRssMb),
  server_alive_to_the_end: !problems.some((p) => p.startsWith('the server died')),
  problems,
};
process.stdout.write(JSON.stringify(summary, null, 2) + '\n');
if (record) writeFileSync(join(ROOT, 'bench/results/soak.json'), JSON.stringify(summary, null, 2) + '\n');
process.exit(problems.length ? 1 : 0);
