// Checklist templates through HTTP: answers are checked against the template version the
// task was opened with, every bad item is named at once and nothing changes; GET
// /tasks/:id carries the JSON Schema of the payload; only admins edit templates, and an
// edit reaches new tasks only.
import { Flow } from './support/flows';
import { TINY_PNG } from './support/checklists';
import { startTestSystem, type TestSystem } from './support/system';

let system: TestSystem;
const api = () => system.api;

beforeAll(async () => {
  system = await startTestSystem();
});
afterAll(() => system?.stop());

/** A service project with its audit checklist open for the installer. */
async function auditChecklist(title: string): Promise<{ flow: Flow; task: any }> {
  const flow = await Flow.create(api(), title);
  await flow.complete('service_request', { description: 'Inverter shows E21', resolution: 'site_visit', jobType: 'audit' });
  await flow.complete('confirm_job');
  await flow.complete('accept_schedule_job', { scheduledStart: '2026-12-01T09:00:00+10:30' }, 'installer');
  // The protocol is whole, so what these tests see is the checklist's own check (400), never the gate (409).
  await flow.fillProtocol();
  return { flow, task: await flow.openTask('audit_checklist') };
}

/** A replacement job at its pre-start checklist (testing and commissioning open beside it). */
async function preStartChecklist(title: string): Promise<{ flow: Flow; task: any }> {
  const flow = await Flow.create(api(), title);
  await flow.complete('service_request', { description: 'Inverter dead', resolution: 'site_visit', jobType: 'replacement' });
  await flow.complete('confirm_job');
  await flow.complete('accept_schedule_job', { scheduledStart: '2026-12-01T09:00:00+10:30' }, 'installer');
  return { flow, task: await flow.openTask('pre_start_checklist') };
}

const problemOf = (answer: { status: number; headers: Headers; body: any }) => {
  expect(answer.headers.get('content-type')).toContain('application/problem+json');
  return answer.body as { status: number; errors?: { path: string; message: string }[] };
};

/** The errors of a refused completion, by path; the task is still open afterwards. */
async function refused(flow: Flow, taskId: string, answers: Record<string, unknown>): Promise<Record<string, string>> {
  const answer = await api().as('installer').post(`/tasks/${taskId}/complete`, { answers });
  expect(answer.status).toBe(400);
  const problem = problemOf(answer);
  const task = (await api().as('installer').get(`/tasks/${taskId}`)).body;
  expect(task.status).toBe('open');
  expect((await flow.openTask(task.type)).id).toBe(taskId);
  return Object.fromEntries((problem.errors ?? []).map((error) => [error.path, error.message]));
}

test('an empty checklist is refused naming every required item; a half-filled one names what is left', async () => {
  const { flow, task } = await auditChecklist('Empty checklist');
  const empty = await refused(flow, task.id, {});
  expect(empty).toMatchObject({
    'answers.dc_isolator': 'DC isolator condition: required',
    'answers.string_voltage_1': 'String 1 voltage: required',
    'answers.inverter_serial': 'Inverter serial number: required',
    'answers.inverter_photo': 'Photo of the inverter and its rating label: required',
  });
  // Optional items are not asked for.
  expect(Object.keys(empty)).not.toContain('answers.string_voltage_2');
  expect(Object.keys(empty)).not.toContain('answers.battery_enclosure');

  const valid = await flow.validAnswers(task.id);
  const half = Object.fromEntries(Object.entries(valid).filter(([id]) => !['dc_isolator', 'inverter_photo', 'findings'].includes(id)));
  expect(await refused(flow, task.id, half)).toEqual({
    'answers.dc_isolator': 'DC isolator condition: required',
    'answers.inverter_photo': 'Photo of the inverter and its rating label: required',
    'answers.findings': 'Findings and recommended action: required',
  });

  // Whole, with a failed item and its comment: done, and the answers are on the task.
  const answers = { ...valid, dc_isolator: { result: 'fail', comment: 'Heat marks on the terminals; replaced' }, string_voltage_2: 402.5 };
  const done = await api().as('installer').post(`/tasks/${task.id}/complete`, { answers });
  expect(done.status).toBe(200);
  expect(done.body.task).toMatchObject({ status: 'done', payload: { answers } });
});

test('wrong types, out-of-range numbers, a fail without comment, unknown items and foreign photos are all named', async () => {
  const { flow, task } = await auditChecklist('Bad answers');
  const other = await auditChecklist('Someone else');
  const foreign = await other.flow.uploadFile('theirs.png', TINY_PNG, 'image/png', 'ops');
  const pdf = await flow.uploadDocument('not-a-photo.pdf', '%PDF-1.4 not a photo', 'installer');
  const valid = await flow.validAnswers(task.id);
  const errors = await refused(flow, task.id, {
    ...valid,
    site_safe: 'yes',
    dc_isolator: { result: 'fail' },
    string_voltage_1: '400',
    string_voltage_2: 1500,
    insulation_resistance: -1,
    inverter_serial: 12345,
    inverter_photo: foreign.id,
    battery_enclosure: { result: 'fail', comment: '' },
    colour: 'blue',
  });
  expect(errors).toEqual({
    'answers.site_safe': expect.stringMatching(/^Site safe to work on: answer pass, fail or n\/a/),
    'answers.dc_isolator': 'DC isolator condition: a comment is required when it fails',
    'answers.string_voltage_1': 'String 1 voltage: must be a number',
    'answers.string_voltage_2': 'String 2 voltage: must be at most 1000 V',
    'answers.insulation_resistance': 'Insulation resistance: must be at least 0 MΩ',
    'answers.inverter_serial': 'Inverter serial number: must be text',
    'answers.inverter_photo': `Photo of the inverter and its rating label: no document ${foreign.id} on this project`,
    'answers.battery_enclosure': 'Battery enclosure, clearances and ventilation: a comment is required when it fails',
    'answers.colour': 'colour: not an item of this checklist',
  });
  const notImage = await refused(flow, task.id, { ...valid, inverter_photo: pdf.id });
  expect(notImage).toEqual({ 'answers.inverter_photo': `Photo of the inverter and its rating label: ${pdf.id} is not an image` });
  // Not even the office may complete it with bad answers.
  expect((await api().as('admin').post(`/tasks/${task.id}/complete`, { answers: {} })).status).toBe(400);
});

test('GET /tasks/:id carries the JSON Schema of the payload, from the template for a checklist', async () => {
  const { flow, task } = await auditChecklist('Schemas');
  const checklist = (await api().as('installer').get(`/tasks/${task.id}`)).body;
  expect(checklist.templateVersion).toBeGreaterThanOrEqual(1);
  const answers = checklist.schema.properties.answers;
  expect(checklist.schema.required).toContain('answers');
  expect(answers).toMatchObject({ type: 'object', 'x-checklist': true, additionalProperties: false });
  expect(answers.required).toEqual(expect.arrayContaining(['dc_isolator', 'string_voltage_1', 'inverter_photo']));
  expect(answers.required).not.toContain('string_voltage_2');
  expect(answers.properties.string_voltage_1).toMatchObject({ title: 'String 1 voltage', type: 'number', minimum: 0, maximum: 1000, 'x-unit': 'V', 'x-itemType': 'number' });
  expect(answers.properties.dc_isolator).toMatchObject({ title: 'DC isolator condition', 'x-itemType': 'pass_fail_na', properties: { result: { enum: ['pass', 'fail', 'na'] } } });
  expect(answers.properties.inverter_photo).toMatchObject({ type: 'string', 'x-itemType': 'photo', 'x-document': 'image' });

  // Not a checklist: the catalogue's schema of that task type.
  await flow.complete('audit_checklist', {}, 'installer');
  const review = (await api().as('ops').get(`/tasks/${(await flow.openTask('review_audit_artefacts')).id}`)).body;
  expect(review).not.toHaveProperty('templateVersion');
  expect(review.schema).toMatchObject({ type: 'object', properties: { assetRegisterUpdateNeeded: { type: 'boolean' } }, required: ['assetRegisterUpdateNeeded'] });
  // The reviewer reads the answers and the installer's photo.
  const done = (await api().as('ops').get(`/tasks/${task.id}`)).body;
  expect(done.payload.answers.inverter_photo).toMatch(/^doc/);
  expect((await api().as('ops').get(`/documents/${done.payload.answers.inverter_photo}`)).status).toBe(200);
  expect((await api().as('installer').get(`/documents/${done.payload.answers.inverter_photo}`)).status).toBe(200);
});

describe('editing templates', () => {
  const original = async (type = 'audit_checklist') => (await api().as('admin').get(`/checklist-templates/${type}`)).body;

  test('staff read templates; only admins edit them, and a bad edit names its items and adds no version', async () => {
    const list = await api().as('ops').get('/checklist-templates');
    expect(list.status).toBe(200);
    expect(list.body.items.map((template: { taskType: string }) => template.taskType).sort()).toEqual(
      ['audit_checklist', 'commissioning_sheet', 'inspection_checklist', 'pre_installation_checklist', 'pre_start_checklist', 'roof_works', 'system_installation', 'testing_commissioning'],
    );
    expect((await api().as('installer').get('/checklist-templates')).status).toBe(403);
    expect((await api().as('ops').get('/checklist-templates/not_a_checklist')).status).toBe(404);
    const before = await original();
    for (const role of ['ops', 'supervisor', 'installer']) {
      const answer = await api().as(role).put('/checklist-templates/audit_checklist', { items: before.items });
      expect(answer.status).toBe(403);
    }
    const bad = await api().as('admin').put('/checklist-templates/audit_checklist', {
      items: [
        { id: 'volts', label: 'Volts', type: 'number', required: true, min: 10, max: 1 },
        { id: 'volts', label: 'Again', type: 'text', required: true },
        { id: 'colour', label: 'Colour', type: 'choice', required: true, options: [] },
        { id: 'Bad id', label: '', type: 'photo', required: true },
      ],
    });
    expect(bad.status).toBe(400);
    const paths = problemOf(bad).errors!.map((error) => error.path);
    expect(paths).toEqual(expect.arrayContaining(['items.0.max', 'items.1.id', 'items.2.options', 'items.3.id', 'items.3.label']));
    expect((await original()).versions).toEqual(before.versions);
  });

  test('an open task keeps its version through an edit; a task opened after gets the new one', async () => {
    // The pre-start checklist: no browser test fills it by its labels, so an edit here cannot
    // trip another test file on a shared PostgreSQL database.
    const { flow, task } = await preStartChecklist('Edited while running');
    const before = await original('pre_start_checklist');
    const oldVersion = (await api().as('installer').get(`/tasks/${task.id}`)).body.templateVersion;
    expect(oldVersion).toBe(before.version);

    // The photo is no longer asked for; a meter reading is.
    const items = [
      ...before.items.filter((item: { id: string }) => item.id !== 'old_inverter_photo'),
      { id: 'meter_reading', label: 'Export meter reading', type: 'number', required: true, unit: 'kWh', min: 0, max: 1000000 },
    ];
    try {
      const edited = await api().as('admin').put('/checklist-templates/pre_start_checklist', { items, baseVersion: before.version });
      expect(edited.status).toBe(201);
      expect(edited.body).toMatchObject({ taskType: 'pre_start_checklist', version: before.version + 1, createdBy: 'usr_demo_admin' });
      // The same edit again (a retried PUT) makes no third version; an edit from a stale version is 409.
      const again = await api().as('admin').put('/checklist-templates/pre_start_checklist', { items, baseVersion: before.version + 1 });
      expect(again.status).toBe(200);
      expect(again.body.version).toBe(before.version + 1);
      expect((await api().as('admin').put('/checklist-templates/pre_start_checklist', { items: before.items, baseVersion: before.version })).status).toBe(409);
      expect((await api().as('ops').get(`/checklist-templates/pre_start_checklist?version=${before.version}`)).body.items).toEqual(before.items);

      // The open task: its schema and its check are still the old version's.
      const open = (await api().as('installer').get(`/tasks/${task.id}`)).body;
      expect(open.templateVersion).toBe(oldVersion);
      expect(open.schema.properties.answers.properties).toHaveProperty('old_inverter_photo');
      expect(open.schema.properties.answers.properties).not.toHaveProperty('meter_reading');
      const oldAnswers = await flow.validAnswers(task.id);
      const { old_inverter_photo: _photo, ...newStyle } = oldAnswers;
      expect(await refused(flow, task.id, { ...newStyle, meter_reading: 1234 })).toEqual({
        'answers.old_inverter_photo': 'Photo of the existing inverter before removal: required',
        'answers.meter_reading': 'meter_reading: not an item of this checklist',
      });
      expect((await api().as('installer').post(`/tasks/${task.id}/complete`, { answers: oldAnswers })).status).toBe(200);

      // A checklist opened after the edit follows the new version.
      const next = await preStartChecklist('Opened after the edit');
      const fresh = (await api().as('installer').get(`/tasks/${next.task.id}`)).body;
      expect(fresh.templateVersion).toBe(before.version + 1);
      expect(fresh.schema.properties.answers.properties).toHaveProperty('meter_reading');
      expect(fresh.schema.properties.answers.properties).not.toHaveProperty('old_inverter_photo');
      expect(await refused(next.flow, next.task.id, { ...newStyle })).toEqual({ 'answers.meter_reading': 'Export meter reading: required' });
      expect((await api().as('installer').post(`/tasks/${next.task.id}/complete`, { answers: { ...newStyle, meter_reading: 1234 } })).status).toBe(200);
    } finally {
      // Back to the items from before (as the next version) for whoever runs after, even when a check above failed.
      expect((await api().as('admin').put('/checklist-templates/pre_start_checklist', { items: before.items })).status).toBeLessThan(300);
    }
  });
});
