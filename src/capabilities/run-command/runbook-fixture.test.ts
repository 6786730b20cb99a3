import { describe, expect, it } from 'vitest';
import { sentToExactly } from './runbook-fixture.js';

describe("run-command's runbook fixture reads moto's command record", () => {
  const account = ['i-a', 'i-b', 'i-c'];

  it('a record naming exactly the asked hosts is a send to them', () => {
    expect(sentToExactly(['i-b'], ['i-b'], account)).toBe(true);
    expect(sentToExactly(['i-c', 'i-a'], ['i-a', 'i-c'], account)).toBe(true);
  });

  it("moto lists every instance of the account for a send without Targets: that still matches the asked host", () => {
    expect(sentToExactly(['i-c', 'i-a', 'i-b'], ['i-b'], account)).toBe(true);
  });

  it('a record naming other hosts, or more than asked but not the whole account, does not match', () => {
    expect(sentToExactly(['i-a'], ['i-b'], account)).toBe(false);
    expect(sentToExactly(['i-a', 'i-b'], ['i-b'], account)).toBe(false);
    expect(sentToExactly(['i-a', 'i-b', 'i-c'], ['i-z'], account)).toBe(false);
  });
});
