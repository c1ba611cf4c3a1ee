import { reportState } from './report-status.service';

describe('reportState', () => {
  it.each([
    ['pending', 'recorded'],
    ['sending', 'recorded'],
    ['submitted', 'sent'],
    ['unknown', 'sent'],
    ['done', 'reported'],
    ['failed', 'failed'],
    ['rejected', 'failed'],
  ])('a report in %s reads as %s', (state, expected) => {
    expect(reportState(state)).toBe(expected);
  });
});
