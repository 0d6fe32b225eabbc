import { expect, it } from 'vitest';
import { summarizeProfile } from '../../../bench/profile';

const frame = (functionName: string, lineNumber = 0) => ({ functionName, url: functionName.startsWith('(') ? '' : '/tmp/worker/index.js', lineNumber });

it('splits sampled time into self and inclusive time per call, without idle time', () => {
  // (root) -> handle -> { hash, parse -> parse (recursion) }, and (idle)
  const profile = {
    nodes: [
      { id: 1, callFrame: frame('(root)'), children: [2, 6] },
      { id: 2, callFrame: frame('handle', 9), children: [3, 4] },
      { id: 3, callFrame: frame('hash', 19) },
      { id: 4, callFrame: frame('parse', 29), children: [5] },
      { id: 5, callFrame: frame('parse', 29) },
      { id: 6, callFrame: frame('(idle)') },
    ],
    // timeDeltas[i + 1] is the time of samples[i]
    samples: [3, 3, 5, 2, 6, 4],
    timeDeltas: [0, 100, 100, 300, 50, 10_000, 150],
    startTime: 0,
    endTime: 10_700,
  };
  const summary = summarizeProfile(profile, 2);
  expect(summary.totalMs).toBeCloseTo((100 + 100 + 300 + 50 + 150) / 1000 / 2);
  expect(Object.fromEntries(summary.self)).toEqual({
    'hash (index.js:20)': 0.1,
    'parse (index.js:30)': 0.225,
    'handle (index.js:10)': 0.025,
  });
  // A recursive frame counts once per sample; (root) and (idle) are left out.
  expect(Object.fromEntries(summary.inclusive)).toEqual({
    'handle (index.js:10)': 0.35,
    'hash (index.js:20)': 0.1,
    'parse (index.js:30)': 0.225,
  });
  expect(summary.self[0]![0]).toBe('parse (index.js:30)');
});
