/**
 * Error messages as the user reads them: what is wrong, where, what to do. The hosts' messages
 * name API fields (`slaMs`), limit settings (`maxTiles`) and zod's types ("received null"); these
 * become the labels and words the screen uses.
 */
import { FIELD_LABELS, friendlyIssue } from '../../src-main/api/schemas';

/** maxTiles -> RETILE_MAX_TILES: the environment setting that raises an engine limit. */
const limitVariable = (setting: string) => `RETILE_${setting.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;

/** A host error (an Error, a structured API error or a string) as one plain sentence. */
export function errorText(e: unknown): string {
  const raw = typeof e === 'string' ? e : e instanceof Error || (e && typeof e === 'object' && 'message' in e) ? String((e as { message: unknown }).message) : String(e);
  let text = raw.replace(/^invalid arguments for \w+: /, '');
  // "batch: at least 1" -> "Batch: at least 1"; "field 'slaMs'" -> "SLA".
  text = text.replace(/^([A-Za-z0-9]+)(\.[\w.]+)?: (.*)$/, (all, field: string, _rest, detail: string) =>
    FIELD_LABELS[field] ? `${FIELD_LABELS[field]}: ${friendlyIssue(detail)}` : all,
  );
  text = text.replace(/field '(\w+)'/g, (all, field: string) => (FIELD_LABELS[field] ? FIELD_LABELS[field] : all));
  text = text.replace(/ \(setting (\w+)\)/g, (_all, setting: string) => `; use a smaller input, or start Retile with ${limitVariable(setting)} set higher`);
  return friendlyIssue(text);
}

/**
 * A message under the context the screen gives it ("Cannot import model.onnx"), without saying
 * twice what both name: engine messages start with the file ("model.onnx, node 'x' (Conv): ...").
 */
export function inContext(context: string, message: string): string {
  for (let at = context.indexOf(' '); at >= 0; at = context.indexOf(' ', at + 1)) {
    const tail = context.slice(at + 1);
    for (const sep of [': ', ', ']) if (message.startsWith(tail + sep)) return `${context}${sep}${message.slice(tail.length + sep.length)}`;
  }
  return `${context}: ${message}`;
}
