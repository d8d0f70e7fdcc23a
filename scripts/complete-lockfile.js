#!/usr/bin/env node
// The registry these machines reach serves only the linux-x64 builds of packages that
// ship one native binary per platform (@swc/core, unrs-resolver), so `npm install`
// here leaves the other platforms out of package-lock.json, and `npm ci` then refuses
// the lockfile ("Missing: @swc/core-darwin-arm64@ from lock file"). This adds those
// optional entries with the os/cpu their names state: npm ci skips them on other
// platforms without fetching, and resolves them by version where they apply.
// Run it after `npm install` changes the lockfile; running it twice changes nothing.
const fs = require('node:fs');
const path = require('node:path');

const file = path.resolve(__dirname, '..', 'package-lock.json');
const lock = JSON.parse(fs.readFileSync(file, 'utf8'));
const OS = ['darwin', 'linux', 'win32', 'freebsd', 'android', 'openharmony', 'sunos', 'aix'];
const CPU = ['arm64', 'x64', 'ia32', 'arm', 'ppc64', 's390x', 'riscv64', 'loong64', 'wasm32'];

let added = 0;
for (const [location, entry] of Object.entries(lock.packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const hoisted = `node_modules/${name}`;
    if (lock.packages[hoisted] || lock.packages[`${location}/node_modules/${name}`]) continue;
    const parts = name.split('/').pop().split('-');
    const os = parts.find((part) => OS.includes(part));
    const cpu = parts.find((part) => CPU.includes(part));
    if (!os || !cpu || /[~^<>*]/.test(version)) {
      console.error(`complete-lockfile: cannot tell the platform of ${name}@${version}; left it out`);
      continue;
    }
    lock.packages[hoisted] = { version, optional: true, os: [os], cpu: [cpu] };
    added++;
  }
}
lock.packages = Object.fromEntries(Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))));
fs.writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`complete-lockfile: ${added} platform package entr${added === 1 ? 'y' : 'ies'} added`);
