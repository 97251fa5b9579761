/**
 * Browser-mode request guards. The server binds 127.0.0.1 only, and still checks every request:
 * the Host header must name this server (defeats DNS rebinding), a present Origin must be this
 * server (defeats cross-site requests from other pages), and API calls must carry the
 * per-launch token (defeats other local users and pages that guess the port).
 */
import { timingSafeEqual } from 'node:crypto';

export interface GuardConfig {
  port: number;
  token: string;
}

export type GuardVerdict = { ok: true } | { ok: false; status: number; reason: string };

export function allowedHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`];
}

export function checkHost(host: string | undefined, cfg: GuardConfig): GuardVerdict {
  if (!host || !allowedHosts(cfg.port).includes(host.toLowerCase())) {
    return { ok: false, status: 421, reason: `foreign Host header '${host ?? ''}'` };
  }
  return { ok: true };
}

export function checkOrigin(origin: string | undefined, cfg: GuardConfig): GuardVerdict {
  if (origin === undefined) return { ok: true };
  const allowed = allowedHosts(cfg.port).map((h) => `http://${h}`);
  if (!allowed.includes(origin.toLowerCase())) return { ok: false, status: 403, reason: `foreign Origin '${origin}'` };
  return { ok: true };
}

export function checkToken(presented: string | undefined | null, cfg: GuardConfig): GuardVerdict {
  const a = Buffer.from(presented ?? '');
  const b = Buffer.from(cfg.token);
  if (a.length !== b.length || !timingSafeEqual(a, b)) return { ok: false, status: 401, reason: 'missing or wrong token' };
  return { ok: true };
}
