/** The checksum stored beside each result document (run_results.sha256, schema 5): SHA-256 of the JSON text, hex. */
import { createHash } from 'node:crypto';

export function resultChecksum(body: string): string {
  return createHash('sha256').update(body, 'utf8').digest('hex');
}
