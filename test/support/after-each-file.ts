import { usesBackgroundServices } from './background-services';
import { stopLeftoverProcesses } from './processes';
import { stopBackgroundServices } from './stop-services';

// A file without the pragma runs its own replicas in the real consumer groups: the background
// services (left running by an earlier @tf-background-services file) must not compete with them.
// Files with it reuse the running services (ensureServicesUp) instead of starting all six again.
beforeAll(() => {
  if (!usesBackgroundServices(expect.getState().testPath!)) stopBackgroundServices();
});

afterAll(async () => {
  await stopLeftoverProcesses();
});
