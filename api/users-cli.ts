// The bootstrap for users outside the embedded mode, where there are no demo users:
//   npm run users -- create --role admin --email ada@example.com --name "Ada Admin" < password.txt
//   (in the API container: node dist/api/users-cli.js create …)
// The password is read from standard input (never an argument, which `ps` and shell
// history would show). Needs DATABASE_URL; applies pending migrations first.
import { parseArgs } from 'node:util';
import { openDatabase } from '../db';
import { createUser, UserBody, userView } from './user-accounts';
import { Problem } from './problem';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

async function main() {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { role: { type: 'string' }, email: { type: 'string' }, name: { type: 'string' }, 'customer-id': { type: 'string' } },
  });
  if (positionals[0] !== 'create') {
    console.error('usage: users create --role <admin|supervisor|ops|installer|customer> --email <email> --name <name> [--customer-id <id>] < password');
    process.exit(2);
  }
  if (!process.env.DATABASE_URL) throw new Error('DATABASE_URL is required (users of the embedded mode are the demo users)');
  if (process.stdin.isTTY) process.stderr.write('password (then Enter and Ctrl-D): ');
  const body = UserBody.parse({ role: values.role, email: values.email, name: values.name, customerId: values['customer-id'], password: await readStdin() });
  // Two connections: migrate() holds its advisory lock on one and migrates on another.
  const database = await openDatabase({ url: process.env.DATABASE_URL, poolSize: 2 });
  try {
    await database.migrate();
    console.log(JSON.stringify(userView(await createUser(database.db, body))));
  } finally {
    await database.close();
  }
}

main().catch((err) => {
  console.error(err instanceof Problem ? err.detail : err instanceof Error && err.name === 'ZodError' ? err.message : err);
  process.exit(1);
});
