import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from '../../socket/index.js';
import { addChars, startUniqueServer } from './unique-server.js';

test('addChars: the set grows across lines and is answered sorted', () => {
  const set = new Set<string>();
  const rows: [string, string][] = [
    ['ajx', 'ajx'],
    ['kby', 'abjkxy'],
    ['lcz', 'abcjklxyz'],
    ['', 'abcjklxyz'],
  ];
  for (const [line, want] of rows) assert.equal(addChars(set, line), want);
});

test('the demo select server keeps one set per connection, interleaved clients do not mix', { timeout: 20000 }, async () => {
  const s = await startUniqueServer(0);
  const a = await connect('127.0.0.1', s.port);
  const b = await connect('127.0.0.1', s.port);
  try {
    a.setTimeout(5000);
    b.setTimeout(5000);
    const ask = async (c: typeof a, line: string) => {
      await c.send(`${line}\n`);
      return c.receive('*l');
    };
    assert.equal(await ask(a, 'ajx'), 'ajx');
    assert.equal(await ask(b, 'zz'), 'z');
    assert.equal(await ask(a, 'kby'), 'abjkxy');
    assert.equal(await ask(b, 'a'), 'az');
    assert.equal(await ask(a, 'lcz'), 'abcjklxyz');
  } finally {
    await a.close();
    await b.close();
    await s.close();
  }
});
