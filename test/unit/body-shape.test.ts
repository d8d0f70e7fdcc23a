import { bodyShapeProblem } from '../../api/body-shape';

test('a body nested too deep or holding too many values is named; ordinary payloads pass', () => {
  let deep: unknown = 'leaf';
  for (let level = 0; level < 100_000; level++) deep = [deep];
  expect(bodyShapeProblem(deep)).toBe('nested deeper than 32 levels');
  expect(bodyShapeProblem({ assetIds: Array.from({ length: 10_000 }, (_, i) => `ast_${i}`) })).toBe('more than 5000 values');
  expect(bodyShapeProblem({ answers: { inverter_display: 'E21', dc_isolator: 'ok' }, assets: [{ make: 'Fronius', model: 'Primo', serial: 'FR-1' }] })).toBeUndefined();
  expect(bodyShapeProblem('text')).toBeUndefined();
});

test('text PostgreSQL cannot store is named, in values and in keys; a whole surrogate pair passes', () => {
  expect(bodyShapeProblem({ note: 'a\u0000b' })).toMatch(/cannot be stored/);
  expect(bodyShapeProblem({ items: [{ label: 'x\ud800' }] })).toMatch(/cannot be stored/);
  expect(bodyShapeProblem({ ['k\udc00']: 1 })).toMatch(/key that cannot be stored/);
  expect(bodyShapeProblem({ note: 'Solar ☀ 😀 ok' })).toBeUndefined();
});
