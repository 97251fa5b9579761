/**
 * The rules the UI's forms share with the hosts, the messages users read, the project file names
 * of unicode project names, and the one steady progress fraction of a staged job.
 */
import { describe, expect, it } from 'vitest';
import { API_SCHEMAS, TENANT_FIELDS, fieldProblem } from '../../../src-main/api/schemas';
import { errorText, inContext } from '../../../src-renderer/lib/messages';
import { ApiCallError } from '../../../src-main/api/errors';
import { validateArgs } from '../../../src-main/api/schemas';
import { errorResponse } from '../../../src-main/service/errors';
import { limitError } from '../../../src-main/engine/limits';
import { fmtDuration, remaining } from '../../../src-renderer/lib/progress';
import { projectFileName } from '../../../src-main/store/workspace';
import { stagedProgress } from '../../../src-main/engine/progress';

describe('tenant fields: the form and the save apply one rule set', () => {
  const cases: [keyof typeof TENANT_FIELDS, unknown, string | null][] = [
    ['batch', 0, 'at least 1'],
    ['batch', 1.5, 'a whole number, like 1 or 8'],
    ['batch', NaN, 'enter a whole number'],
    ['batch', 100000, 'at most 65,536'],
    ['batch', 8, null],
    ['priority', 0, 'greater than 0'],
    ['slaMs', -2, 'greater than 0 ms'],
    ['slaMs', null, null],
    ['name', '   ', 'give the tenant a name'],
  ];
  it.each(cases)('%s = %s -> %s', (field, value, message) => {
    expect(fieldProblem(TENANT_FIELDS[field], value)).toBe(message);
    // The host's argument check refuses exactly what the form refuses.
    const host = API_SCHEMAS.updateTenant.safeParse({ project: 'p.retile', id: 1, [field]: value });
    expect(host.success).toBe(message === null);
  });
});

describe('messages users read', () => {
  it('names fields by their labels and limits by the setting that raises them, from the structured error the hosts send', () => {
    const sent = (e: unknown) => errorResponse(e).error;
    // The hosts validate with the API schemas; the error names the field, the UI its label.
    const sla = (() => {
      try {
        validateArgs('updateTenant', { project: 'p.retile', id: 1, slaMs: 'soon' });
      } catch (e) {
        return sent(e);
      }
    })();
    expect(sla).toMatchObject({ code: 'bad-input', field: 'slaMs' });
    expect(errorText(new ApiCallError(sla!))).toMatch(/^SLA: /);
    expect(errorText(new ApiCallError(sla!), { withField: false })).not.toMatch(/SLA/);
    const limit = sent(limitError('tile count (1000x1000)', 1_000_000, 'maxTiles', { file: 'chip', field: 'topology' }));
    expect(limit).toEqual({ code: 'limit', field: 'topology', setting: 'maxTiles', message: 'chip: tile count (1000x1000) is 1000000, above the limit of 65536' });
    expect(errorText(new ApiCallError(limit))).toBe(
      'chip: tile count (1000x1000) is 1000000, above the limit of 65536 (field topology); use a smaller input, or start Retile with RETILE_MAX_TILES set higher',
    );
    expect(errorText(new ApiCallError({ code: 'bad-input', field: 'dataBase64', message: 'base64 data' }))).toBe('the file: base64 data');
    // A plain string (a run's stored message) is shown as it is.
    expect(errorText('worker exited')).toBe('worker exited');
  });

  it('names an imported file once, under the screen\'s context', () => {
    expect(inContext('Cannot import my net.onnx', "my net.onnx, node 'c' (Conv3D): unsupported")).toBe("Cannot import my net.onnx, node 'c' (Conv3D): unsupported");
    expect(inContext('Cannot import a.onnx', 'a.onnx: empty file')).toBe('Cannot import a.onnx: empty file');
    expect(inContext('Cannot open the project', 'busy: another process')).toBe('Cannot open the project: busy: another process');
  });

  it('accepts project names in any script', () => {
    const create = API_SCHEMAS.createProject;
    expect(create.safeParse({ name: 'Étude 研究 2' }).success).toBe(true);
    expect(create.safeParse({ name: 'Мой проект' }).success).toBe(true);
    expect(create.safeParse({ name: '../etc' }).success).toBe(false);
    expect(create.safeParse({ name: ' ' }).success).toBe(false);
  });
});

describe('project file names', () => {
  it('keeps ASCII names, drops accents, tags names with other scripts', () => {
    expect(projectFileName('my study')).toBe('my-study.retile');
    expect(projectFileName('Étude 2')).toBe('Etude-2.retile');
    const a = projectFileName('研究');
    const b = projectFileName('实验');
    expect(a).toMatch(/^project-[0-9a-f]{8}\.retile$/);
    expect(b).toMatch(/^project-[0-9a-f]{8}\.retile$/);
    expect(a).not.toBe(b);
    expect(projectFileName('Étude 研究')).toMatch(/^Etude-[0-9a-f]{8}\.retile$/);
    // Every result is a valid workspace file name.
    for (const n of ['研究', 'Étude 研究', 'a/b', 'Мой проект']) expect(API_SCHEMAS.getProject.safeParse({ project: projectFileName(n) }).success).toBe(true);
  });
});

describe('one steady progress fraction per job', () => {
  it('places stage fractions in their slices and never goes backwards', () => {
    const seen: [string, number][] = [];
    const sink = stagedProgress({ report: (s, f) => seen.push([s, f]), cancelled: () => false }, [
      [['profile'], 1],
      [['optimize', 'simulate'], 2],
      [['metrics'], 1],
    ]);
    sink.report('profile', 0);
    sink.report('profile', 1); // 1/4
    sink.report('optimize', 0.5); // 1/4 + 2/4 * 0.5 = 0.5
    sink.report('tenant level', 0.5); // inner loop: halfway from 0.5 to 0.75
    sink.report('simulate', 0.25); // would be 0.375: held at 0.625
    sink.report('metrics', 1);
    expect(seen.map(([, f]) => f)).toEqual([0, 0.25, 0.5, 0.625, 0.625, 1]);
    expect(seen.map(([s]) => s)).toEqual(['profile', 'profile', 'optimize', 'tenant level', 'simulate', 'metrics']);
  });

  it('estimates the time left from the rate so far', () => {
    expect(remaining(1, 0.5)).toBeNull();
    expect(remaining(10, 0.02)).toBeNull();
    expect(remaining(10, 0.25)).toBe(30);
    expect(fmtDuration(42)).toBe('42 s');
    expect(fmtDuration(185)).toBe('3 min 05 s');
  });
});
