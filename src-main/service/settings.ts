/**
 * The user's settings that outlive a launch: the chosen workspace folder and the recently opened
 * project files outside it. One small JSON file in the config folder:
 * RETILE_CONFIG_DIR, else `<RETILE_WORKSPACE>/.retile` when a workspace is forced by the
 * environment (tests, scripts), else $XDG_CONFIG_HOME/retile or ~/.config/retile.
 */
import { makeDirs } from '../store/make-dirs';
import { readFileSync, writeFileSync, renameSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export interface Settings {
  workspace?: string;
  /** Absolute paths of project files opened from outside the workspace, most recent first. */
  recent: string[];
}

const MAX_RECENT = 12;

export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.RETILE_CONFIG_DIR) return resolve(env.RETILE_CONFIG_DIR);
  if (env.RETILE_WORKSPACE) return join(resolve(env.RETILE_WORKSPACE), '.retile');
  return join(env.XDG_CONFIG_HOME ? resolve(env.XDG_CONFIG_HOME) : join(homedir(), '.config'), 'retile');
}

export class SettingsStore {
  private readonly file: string;
  private data: Settings;

  constructor(dir: string) {
    this.file = join(dir, 'settings.json');
    try {
      const parsed = JSON.parse(readFileSync(this.file, 'utf8')) as Partial<Settings>;
      this.data = {
        workspace: typeof parsed.workspace === 'string' ? parsed.workspace : undefined,
        recent: Array.isArray(parsed.recent) ? parsed.recent.filter((p): p is string => typeof p === 'string') : [],
      };
    } catch {
      this.data = { recent: [] };
    }
  }

  get(): Settings {
    return { ...this.data, recent: [...this.data.recent] };
  }

  update(patch: Partial<Settings>): void {
    this.data = { ...this.data, ...patch };
    this.save();
  }

  addRecent(path: string): void {
    this.data.recent = [path, ...this.data.recent.filter((p) => p !== path)].slice(0, MAX_RECENT);
    this.save();
  }

  removeRecent(path: string): void {
    this.data.recent = this.data.recent.filter((p) => p !== path);
    this.save();
  }

  private save(): void {
    try {
      makeDirs(resolve(this.file, '..'), 'settings folder');
      // Write-then-rename so a crash never leaves half a settings file.
      writeFileSync(`${this.file}.tmp`, JSON.stringify(this.data, null, 2));
      renameSync(`${this.file}.tmp`, this.file);
    } catch {
      // Settings are a convenience: a read-only config folder must not break the app.
    }
  }
}
