// @tf-background-services: runs on the six services of scripts/services.sh (see test/support/background-services.js).
import { faultInjectionSuite } from './fault-injection.suite';
import { sigtermDrainSuite } from './sigterm-drain.suite';
import { tenantIsolationSuite } from './tenant-isolation.suite';

// One file, so the six background services start once for the three (CI time): each suite brings them
// up if needed; the SIGTERM suite runs last, as it replaces the background transcoder with two of its own.
tenantIsolationSuite();
faultInjectionSuite();
sigtermDrainSuite();
