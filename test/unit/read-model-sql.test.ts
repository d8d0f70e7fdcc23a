// The read model's hand-written SQL and the drizzle schema must not drift apart: every
// column the batch statement writes exists in the schema, and every column the schema
// requires without a default is written.
import { getTableColumns, getTableName, is, Table } from 'drizzle-orm';
import { APPLY_CHANGES } from '../../activities/read-model';
import * as schema from '../../db/schema';

const tables: Table[] = (Object.values(schema) as unknown[]).filter((value): value is Table => is(value, Table));
const byName = new Map<string, Table>(tables.map((table) => [getTableName(table), table]));

const inserts = [...APPLY_CHANGES.matchAll(/INSERT INTO (\w+) \(([^)]*)\)/g)].map(([, table, columns]) => ({
  table,
  columns: columns.split(',').map((column) => column.trim()),
}));
const updates = [...APPLY_CHANGES.matchAll(/SET ([^;]*?)(?:\n\s*WHERE|\n\)|$)/g)].flatMap(([, sets]) =>
  [...sets.matchAll(/(\w+) = /g)].map(([, column]) => column),
);

test('the batch statement writes every read-model table the workflows own', () => {
  expect(new Set(inserts.map((insert) => insert.table))).toEqual(new Set(['projects', 'jobs', 'tasks', 'timeline', 'assets', 'asset_history', 'notifications']));
});

test.each(inserts.map((insert, index) => [`${insert.table} #${index + 1}`, insert] as const))('%s: columns exist, required ones are written', (_name, insert) => {
  const table = byName.get(insert.table);
  expect(table).toBeDefined();
  const columns = Object.values(getTableColumns(table!));
  const known = new Set(columns.map((column) => column.name));
  expect(insert.columns.filter((column) => !known.has(column))).toEqual([]);
  // A full insert (not the closing of a job) writes every required column without a default.
  if (insert.columns.length > 9 || insert.table !== 'jobs') {
    const required = columns.filter((column) => column.notNull && !column.hasDefault).map((column) => column.name);
    expect(required.filter((column) => !insert.columns.includes(column))).toEqual([]);
  }
});

test('every column an upsert sets exists in some table', () => {
  const all = new Set(tables.flatMap((table) => Object.values(getTableColumns(table)).map((column) => column.name)));
  expect(updates.length).toBeGreaterThan(10);
  expect(updates.filter((column) => !all.has(column))).toEqual([]);
});
