// GET /settings: the Temporal UI's public address goes to admins only (it holds every
// history and can terminate workflows); everyone signed in gets the rest.
import { startTestSystem, type TestSystem } from './support/system';

let system: TestSystem;
beforeAll(async () => {
  system = await startTestSystem({ TEMPORAL_UI_PUBLIC_URL: 'https://temporal.example.com' });
});
afterAll(() => system?.stop());

test('only an admin is told where the Temporal UI is', async () => {
  const admin = await system.api.as('admin').get('/settings');
  expect(admin.status).toBe(200);
  expect(admin.body.temporalUiUrl).toBe('https://temporal.example.com');
  for (const role of ['ops', 'supervisor', 'installer', 'customer']) {
    const answer = await system.api.as(role).get('/settings');
    expect({ role, status: answer.status, temporalUiUrl: answer.body.temporalUiUrl }).toEqual({ role, status: 200, temporalUiUrl: undefined });
    expect(answer.body.temporalNamespace).toBe(admin.body.temporalNamespace);
  }
});
