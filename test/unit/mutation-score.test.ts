import { describe, expect, it } from 'vitest';
import { mutationMetrics, score, survivors, tally, type MutationReport, type ReportMutant } from '../../bench/lib/mutation-score.js';

const m = (id: string, status: string, line = 1): ReportMutant => ({ id, mutatorName: 'ConditionalExpression', status, location: { start: { line, column: 3 } }, replacement: 'true' });

describe('mutation score from the Stryker JSON report', () => {
  const report: MutationReport = {
    files: {
      'src/core/redact.ts': { mutants: [m('1', 'Killed'), m('2', 'Killed'), m('3', 'Timeout'), m('4', 'Survived', 7), m('5', 'Ignored'), m('6', 'CompileError')] },
      'src/core/ip/cidr.ts': { mutants: [m('7', 'Killed'), m('8', 'NoCoverage', 9)] },
    },
  };

  it('counts killed and timed-out as detected over every valid mutant, ignored and errors left out', () => {
    const metrics = mutationMetrics(report, 61.4);
    expect(metrics).toEqual({
      score_safety_core: 66.67,
      mutants_valid: 6,
      mutants_killed: 3,
      mutants_timeout: 1,
      mutants_survived: 1,
      mutants_no_coverage: 1,
      mutants_ignored: 1,
      duration_s: 61,
      'score.ip/cidr.ts': 50,
      'score.redact.ts': 75,
    });
  });

  it('lists survivors and uncovered mutants by place, and refuses a report with nothing to score', () => {
    expect(survivors(report)).toEqual(['src/core/ip/cidr.ts:9:3 NoCoverage ConditionalExpression: "true"', 'src/core/redact.ts:7:3 Survived ConditionalExpression: "true"']);
    expect(score(tally([m('1', 'Ignored')]))).toBeNaN();
    expect(() => mutationMetrics({ files: { 'a.ts': { mutants: [m('1', 'Ignored')] } } })).toThrow(/no valid mutant/);
    expect(() => tally([m('1', 'Pending')])).toThrow(/unknown mutant status "Pending"/);
  });
});
