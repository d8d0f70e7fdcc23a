// The fault suite's one table: each test adds a row (fault, what was done, what held,
// figures) to a file; the global teardown prints them all at the end of the run.
import fs from 'node:fs';

export interface Row {
  fault: string;
  done: string;
  held: string;
  figures: string;
}

export function addRow(row: Row): void {
  const file = process.env.FAULTS_RESULTS;
  if (!file) throw new Error('FAULTS_RESULTS is not set: run these tests with `npm run test:faults`');
  fs.appendFileSync(file, `${JSON.stringify(row)}\n`);
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function table(file: string): string {
  const rows: Row[] = fs.existsSync(file)
    ? fs
        .readFileSync(file, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line))
    : [];
  const lines = ['| fault | what was done | what held | figures |', '|---|---|---|---|'];
  for (const row of rows) lines.push(`| ${cell(row.fault)} | ${cell(row.done)} | ${cell(row.held)} | ${cell(row.figures)} |`);
  if (!rows.length) lines.push('| (no fault test passed) | | | |');
  return lines.join('\n');
}
