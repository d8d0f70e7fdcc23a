import { parseTaskPayload, taskTypes } from '../../workflows/tasks/catalogue';

describe('task payloads', () => {
  test('a site visit needs a job type; other resolutions do not', () => {
    expect(parseTaskPayload('service_request', { description: 'x', resolution: 'internal' })).toMatchObject({ ok: true });
    const missing = parseTaskPayload('service_request', { description: 'x', resolution: 'site_visit' });
    expect(missing).toEqual({ ok: false, errors: [expect.objectContaining({ path: 'jobType' })] });
    expect(parseTaskPayload('service_request', { description: 'x', resolution: 'site_visit', jobType: 'audit' })).toMatchObject({ ok: true });
  });

  test('unknown resolutions, empty descriptions and unknown task types are refused', () => {
    expect(parseTaskPayload('service_request', { description: '', resolution: 'internal' }).ok).toBe(false);
    expect(parseTaskPayload('service_request', { description: 'x', resolution: 'shrug' }).ok).toBe(false);
    expect(parseTaskPayload('no_such_task', {})).toEqual({ ok: false, errors: [{ path: '', message: 'unknown task type no_such_task' }] });
  });

  test('note-only tasks refuse unknown fields, schedules need an offset, asset lists need an entry', () => {
    expect(parseTaskPayload('confirm_job', { note: 'ok' }).ok).toBe(true);
    expect(parseTaskPayload('confirm_job', { nope: 1 }).ok).toBe(false);
    expect(parseTaskPayload('accept_schedule_job', { scheduledStart: '2026-12-01T09:00:00' }).ok).toBe(false);
    expect(parseTaskPayload('accept_schedule_job', { scheduledStart: '2026-12-01T09:00:00+10:30' }).ok).toBe(true);
    expect(parseTaskPayload('update_asset_serials', { assets: [] }).ok).toBe(false);
    expect(parseTaskPayload('upload_regulatory_documents', { documentIds: ['d1'] }).ok).toBe(true);
  });

  test('every task type names who may complete it, and customers never may', () => {
    for (const [name, type] of Object.entries(taskTypes)) {
      expect({ name, roles: type.roles.length > 0 }).toEqual({ name, roles: true });
      expect(type.roles).not.toContain('customer');
    }
    expect(taskTypes.service_request.roles).not.toContain('installer');
    expect(taskTypes.audit_checklist.roles).toContain('installer');
  });
});
