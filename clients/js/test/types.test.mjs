// relay-client.d.ts against the module itself: every export, and every method and accessor of every
// exported class, is declared (public or `private`), and every method declared exists.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as sdk from '../relay-client.js';

const declarations = readFileSync(new URL('../relay-client.d.ts', import.meta.url), 'utf8');

/** The names the .d.ts exports. */
function declaredExports() {
  return new Set([...declarations.matchAll(/^export (?:declare )?(?:class|function|interface|type|const) (\w+)/gm)].map((m) => m[1]));
}

/** The members declared in `export class <name> … {` up to its closing brace: name → {method}. */
function declaredMembers(name) {
  const start = declarations.search(new RegExp(`^export class ${name}\\b`, 'm'));
  assert.ok(start >= 0, `class ${name} is declared`);
  const body = declarations.slice(declarations.indexOf('{', start) + 1, declarations.indexOf('\n}', start));
  const members = new Map();
  for (const [, names, paren] of body.matchAll(/^ {2}(?:(?:private|static|readonly) )*(\w+)\??(\(|<|:|;)?/gm)) {
    members.set(names, { method: paren === '(' || paren === '<' });
  }
  return members;
}

/** Methods and accessors of a class at run time, static ones as well. */
function runtimeMembers(cls) {
  const own = (o, skip) => Object.getOwnPropertyNames(o).filter((n) => !skip.includes(n));
  return [...own(cls.prototype, ['constructor']), ...own(cls, ['length', 'name', 'prototype'])];
}

const classes = Object.entries(sdk).filter(([, v]) => typeof v === 'function' && /^class\b/.test(v.toString()));

test('every export of the module is declared', () => {
  const declared = declaredExports();
  assert.deepEqual(Object.keys(sdk).filter((name) => !declared.has(name)), []);
});

for (const [name, cls] of classes) {
  test(`every method and accessor of ${name} is declared, and every declared method exists`, () => {
    const members = declaredMembers(name);
    const runtime = runtimeMembers(cls);
    assert.deepEqual(runtime.filter((m) => !members.has(m)), [], 'in the module but not in the .d.ts');
    const missing = [...members].filter(([m, { method }]) => method && m !== 'constructor' && !runtime.includes(m));
    assert.deepEqual(missing.map(([m]) => m), [], 'declared as methods but not in the module');
  });
}

test('the public API of RelayClient is declared public', () => {
  const members = declaredMembers('RelayClient');
  for (const api of ['on', 'connect', 'close', 'send', 'publish', 'subscribe', 'read', 'transportName']) {
    assert.ok(members.has(api), api);
    assert.doesNotMatch(declarations, new RegExp(`^ {2}private ${api};`, 'm'), `${api} is public`);
  }
});
