import { test } from 'node:test';
import assert from 'node:assert/strict';
import { blockRemote } from './remote.js';

const vectors: [string, string][] = [
  ['<img src="https://t.example/p.gif">', '<img src="#blocked:t.example/p.gif">'],
  ["<img SRC = 'http://a/b'>", "<img SRC = '#blocked:a/b'>"],
  ['<img src=//a/b>', '<img src=#blocked:a/b>'],
  ['<link rel="stylesheet" href="http://a/c.css">', '<link rel="stylesheet" href="#blocked:a/c.css">'],
  ['<div style="background:url( \'https://a/bg\')">', '<div style="background:url( \'#blocked:a/bg\')">'],
  ['<style>@import "https://a/i.css";</style>', '<style>@import "#blocked:a/i.css";</style>'],
  ['<meta http-equiv="refresh" content="0;url=http://a/r">', '<meta http-equiv="refresh" content="0;#blocked:a/r">'.replace('0;#', '0;url=#')],
  ['<img srcset="https://a/1.png 1x, https://a/2.png 2x">', '<img srcset="#blocked:a/1.png 1x, #blocked:a/2.png 2x">'],
  [
    '<p>see https://example.test/ and <img src="cid:x"> <img src="data:image/png;base64,AA"></p>',
    '<p>see https://example.test/ and <img src="cid:x"> <img src="data:image/png;base64,AA"></p>',
  ],
];

for (const [input, expected] of vectors) {
  test(`blockRemote(${JSON.stringify(input)})`, () => assert.equal(blockRemote(input), expected));
}
