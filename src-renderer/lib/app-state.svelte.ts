/**
 * The UI's shared state (Svelte 5 runes): app info, the project list, the open project, running
 * jobs and notifications. Components read it and call the actions; every action goes through the
 * API contract and reports errors as toasts that say what to fix.
 */
import { api } from './api';
import type { ApiEvent, AppInfo, JobInfo, ProjectSummary, ProjectView } from '../../src-main/api/contract';
import { errorText, inContext } from './messages';

export type Tab = 'chip' | 'tenants' | 'runs' | 'results' | 'compare' | 'sweep';
/** A job as the UI shows it: when this window first saw it, for the elapsed time and estimate. */
export interface JobView extends JobInfo {
  startedAt: number;
}
export interface Toast {
  id: number;
  kind: 'error' | 'info' | 'ok';
  text: string;
}

/** The two runs the Compare tab shows: each a project file and a run id in it. */
export interface ComparePicks {
  projA: string;
  idA: number | null;
  projB: string;
  idB: number | null;
}

class AppState {
  info = $state<AppInfo | null>(null);
  projects = $state<ProjectSummary[]>([]);
  current = $state<ProjectView | null>(null);
  tab = $state<Tab>('chip');
  /** The run shown on the Results tab. */
  runId = $state<number | null>(null);
  jobs = $state<Record<string, JobView>>({});
  toasts = $state<Toast[]>([]);
  theme = $state<'light' | 'dark'>('light');
  connectionError = $state<string | null>(null);
  /** The New project dialog (one instance, opened from the sidebar and the start page). */
  newProject = $state<{ open: boolean; start: string }>({ open: false, start: 'preset:isaac' });
  /** Bumps when runs finish, so views holding run data reload. */
  runsVersion = $state(0);
  /**
   * Edits on screen that are not saved (the chip form, a rejected tenant field), in words, or null.
   * Leaving the tab or the project asks first (see leave()).
   */
  unsaved = $state<string | null>(null);
  /** The action waiting for the user to confirm discarding unsaved edits. */
  pendingLeave = $state<(() => void) | null>(null);
  /** The Compare tab's two picks per project, kept while the user visits other tabs. */
  comparePicks = $state<Record<string, ComparePicks>>({});
  /** Jobs this tab started: only these move this tab to Results when they finish. */
  private ownJobs = new Set<string>();
  private nextToast = 1;

  /** Runs `action` at once, or after the user agrees to discard the unsaved edits. */
  leave(action: () => void) {
    if (this.unsaved) this.pendingLeave = action;
    else action();
  }

  discardAndLeave() {
    const action = this.pendingLeave;
    this.pendingLeave = null;
    this.unsaved = null;
    action?.();
  }

  showTab(tab: Tab) {
    if (tab !== this.tab) this.leave(() => (this.tab = tab));
  }

  /** A job this tab started (it may already have reported progress by the time the call returns). */
  trackJob(job: JobInfo) {
    this.ownJobs.add(job.jobId);
    const seen = this.jobs[job.jobId];
    this.jobs = { ...this.jobs, [job.jobId]: seen ?? { ...job, startedAt: Date.now() } };
  }

  toast(kind: Toast['kind'], text: string, ms = kind === 'error' ? 8000 : 2500) {
    const id = this.nextToast++;
    // At most three at once: the newest matter.
    this.toasts = [...this.toasts, { id, kind, text }].slice(-3);
    setTimeout(() => this.dismiss(id), ms);
  }

  dismiss(id: number) {
    this.toasts = this.toasts.filter((t) => t.id !== id);
  }

  /** Runs an API call; on failure shows the message and returns undefined. */
  async guard<T>(fn: () => Promise<T>, context?: string): Promise<T | undefined> {
    try {
      return await fn();
    } catch (e) {
      const msg = errorText(e);
      this.toast('error', context ? inContext(context, msg) : msg);
      return undefined;
    }
  }

  async refreshProjects() {
    const list = await this.guard(() => api.listProjects());
    if (list) this.projects = list;
  }

  async open(file: string, tab?: Tab) {
    const view = await this.guard(() => api.getProject({ project: file }), 'Cannot open the project');
    if (!view) return;
    const changed = this.current?.summary.file !== file;
    this.setView(view);
    if (changed) {
      const lastFinished = view.runs.find((r) => r.status === 'finished' && r.kind === 'deploy');
      this.runId = lastFinished?.id ?? null;
      this.tab = tab ?? (view.tenants.length === 0 ? 'tenants' : lastFinished ? 'results' : 'runs');
      rememberRecent(file);
    } else if (tab) this.tab = tab;
    localStorage.setItem('retile-last-project', file);
  }

  async reload() {
    if (this.current) {
      const view = await this.guard(() => api.getProject({ project: this.current!.summary.file }));
      if (view) this.setView(view);
    }
  }

  close() {
    this.current = null;
    this.runId = null;
    localStorage.removeItem('retile-last-project');
  }

  setView(view: ProjectView) {
    this.current = view;
    // Keep the sidebar's counts in step without another round trip.
    this.projects = this.projects.map((p) => (p.file === view.summary.file ? view.summary : p));
  }

  jobFor(project: string, kind?: string): JobView | undefined {
    return Object.values(this.jobs).find((j) => j.project === project && j.kind !== 'importOnnx' && (!kind || j.kind === kind));
  }

  async onEvent(e: ApiEvent) {
    if (e.type === 'project') {
      // Another window (or this one) changed a project: what is on screen follows the file.
      if (this.current?.summary.file === e.project) {
        const view = await api.getProject({ project: e.project }).catch(() => null);
        if (view && this.current?.summary.file === e.project) this.setView(view);
      }
      await this.refreshProjects();
      return;
    }
    if (e.type === 'progress') {
      const prev = this.jobs[e.jobId];
      // The host sends one overall fraction per job; a late or reordered report never moves it back.
      this.jobs = {
        ...this.jobs,
        [e.jobId]: {
          jobId: e.jobId,
          project: e.project ?? prev?.project ?? '',
          runId: e.runId ?? prev?.runId ?? null,
          kind: prev?.kind ?? e.kind ?? 'deploy',
          stage: e.stage,
          fraction: Math.max(prev?.fraction ?? 0, e.fraction),
          startedAt: prev?.startedAt ?? Date.now(),
        },
      };
      return;
    }
    const rest = { ...this.jobs };
    delete rest[e.jobId];
    this.jobs = rest;
    const own = this.ownJobs.delete(e.jobId);
    if (e.type === 'failed' && own) this.toast('error', `Run failed: ${errorText(e.error ?? e.message)}`);
    if (e.type === 'cancelled' && own) this.toast('info', 'Run cancelled.');
    this.runsVersion++;
    if (this.current && this.current.summary.file === e.project) {
      await this.reload();
      // A run started in another window or tab updates this one's lists but never moves it.
      if (e.type === 'finished' && own) this.showFinished(e.runId);
    }
    await this.refreshProjects();
  }

  /** This tab's own run finished: Results shows it (a deployment run), from the Run tab. */
  private showFinished(runId: number) {
    const run = this.current?.runs.find((r) => r.id === runId);
    if (run?.kind === 'deploy') {
      this.runId = runId;
      if (this.tab === 'runs') this.tab = 'results';
    }
    this.toast('ok', `Run #${runId} finished.`);
  }

  async loadJobs() {
    const list = await this.guard(() => api.listJobs());
    if (list) this.jobs = Object.fromEntries(list.map((j) => [j.jobId, { ...j, startedAt: Date.now() }]));
  }

  /**
   * The event stream dropped and is back: events sent meanwhile are lost, so the jobs, the open
   * project and the project list are read again. A job the host no longer runs ended in the gap:
   * its progress bar goes (a lost `finished` event never leaves one up), and this tab's own run,
   * if it finished, is shown as if the event had come.
   */
  async resync() {
    const list = await this.guard(() => api.listJobs());
    if (!list) return;
    const live = new Set(list.map((j) => j.jobId));
    const ended = Object.values(this.jobs).filter((j) => !live.has(j.jobId));
    this.jobs = Object.fromEntries(
      list.map((j) => {
        const seen = this.jobs[j.jobId];
        return [j.jobId, { ...j, fraction: Math.max(seen?.fraction ?? 0, j.fraction), startedAt: seen?.startedAt ?? Date.now() }];
      }),
    );
    this.runsVersion++;
    await this.reload();
    for (const j of ended) {
      if (!this.ownJobs.delete(j.jobId) || j.runId === null || this.current?.summary.file !== j.project) continue;
      if (this.current.runs.find((r) => r.id === j.runId)?.status === 'finished') this.showFinished(j.runId);
    }
    await this.refreshProjects();
  }
}

export const app = new AppState();

/** Recently opened projects (most recent first), kept in the browser profile. */
export function recentProjects(): string[] {
  try {
    return JSON.parse(localStorage.getItem('retile-recent') ?? '[]') as string[];
  } catch {
    return [];
  }
}

function rememberRecent(file: string) {
  const list = [file, ...recentProjects().filter((f) => f !== file)].slice(0, 8);
  localStorage.setItem('retile-recent', JSON.stringify(list));
}

export function forgetRecent(file: string) {
  localStorage.setItem('retile-recent', JSON.stringify(recentProjects().filter((f) => f !== file)));
}
