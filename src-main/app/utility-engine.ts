/**
 * The desktop app's engine process: Electron's utilityProcess running the same job host as
 * browser mode's Node fork (src-main/service/job-host.ts). A job that exhausts the heap ends this
 * process, not the app; no `ELECTRON_RUN_AS_NODE` is needed, so the RunAsNode fuse stays off.
 */
import { utilityProcess } from 'electron';
import type { SpawnEngine } from '../service/engine-process';

export const spawnUtilityEngine: SpawnEngine = (script, execArgv, env) => {
  const child = utilityProcess.fork(script, [], { execArgv, env, serviceName: 'Retile engine', stdio: 'inherit' });
  let exited = false;
  child.on('exit', () => (exited = true));
  return {
    send: (m) => {
      if (!exited) child.postMessage(m);
    },
    kill: () => {
      if (!exited) child.kill();
    },
    // A utility process ends with the app: nothing keeps the event loop alive to release.
    unref: () => {},
    onMessage: (l) => child.on('message', l),
    onExit: (l) => child.on('exit', l),
    onError: (l) => child.on('error', (type, location) => l(new Error(`the engine process failed (${type} at ${location})`))),
  };
};
