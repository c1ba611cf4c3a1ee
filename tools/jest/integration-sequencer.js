// Integration test files share one broker and its topics, and consumer groups start from the
// beginning of a topic. The files that put the most events on order.pulled (a 10,000-order
// backlog, 50 shops under leases) run last, so the others do not first wade through them.
const Sequencer = require('@jest/test-sequencer').default;

const HEAVY = /ingestion-process\.int-spec|poll-leases\.int-spec/;

class IntegrationSequencer extends Sequencer {
  sort(tests) {
    const weight = (test) => (HEAVY.test(test.path) ? 1 : 0);
    return [...tests].sort((a, b) => weight(a) - weight(b) || a.path.localeCompare(b.path));
  }
}

module.exports = IntegrationSequencer;
