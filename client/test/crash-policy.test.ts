import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CrashPolicy } from '../src/crash-policy.ts';

test('the first crash restarts and tells, later ones restart quietly', () => {
  const policy = new CrashPolicy(4, 1000);
  assert.equal(policy.onCrash(0), 'restart-and-tell');
  assert.equal(policy.onCrash(10), 'restart-quietly');
});

test('too many crashes in the window give up instead of looping', () => {
  const policy = new CrashPolicy(2, 1000);
  assert.deepEqual([policy.onCrash(0), policy.onCrash(1), policy.onCrash(2)], ['restart-and-tell', 'restart-quietly', 'give-up']);
});

test('crashes outside the window do not count', () => {
  const policy = new CrashPolicy(2, 1000);
  policy.onCrash(0);
  policy.onCrash(1);
  assert.equal(policy.onCrash(5000), 'restart-quietly');
});

test('reset after a manual restart tells again', () => {
  const policy = new CrashPolicy(2, 1000);
  policy.onCrash(0);
  policy.reset();
  assert.equal(policy.onCrash(1), 'restart-and-tell');
});
