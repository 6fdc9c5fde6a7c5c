// The integration files that run on the six background services of scripts/services.sh (they call
// ensureServicesUp) say so with `@tf-background-services` in their leading comment. Every other
// file starts the replicas it needs in the real consumer groups, so the background services must
// be stopped while it runs. Stopping and starting the six services costs tens of seconds, so:
// - this sequencer runs the files that use them one after the other, last (the default order
//   otherwise), and
// - after-each-file.ts stops them only before a file that does not use them (and once at the end).
const { readFileSync } = require('node:fs');
const Sequencer = require('@jest/test-sequencer').default;

/** True when the file's text carries the `@tf-background-services` pragma. */
function usesBackgroundServices(path) {
  return /@tf-background-services\b/.test(readFileSync(path, 'utf8'));
}

class BackgroundServicesLastSequencer extends Sequencer {
  sort(tests) {
    const sorted = super.sort(tests);
    return [
      ...sorted.filter((t) => !usesBackgroundServices(t.path)),
      ...sorted.filter((t) => usesBackgroundServices(t.path)),
    ];
  }
}

module.exports = BackgroundServicesLastSequencer;
module.exports.usesBackgroundServices = usesBackgroundServices;
