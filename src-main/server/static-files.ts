/** Serving the built renderer from one folder (browser mode). */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { MIME, resolveInside } from '../service/static-path';

export async function readStatic(root: string, urlPath: string): Promise<{ body: Buffer; type: string } | null> {
  const file = resolveInside(root, urlPath);
  if (!file) return null;
  try {
    const body = await readFile(file);
    return { body, type: MIME[extname(file)] ?? 'application/octet-stream' };
  } catch {
    return null;
  }
}
