import { stopLeftoverProcesses } from './processes';
import { stopBackgroundServices } from './stop-services';

afterAll(async () => {
  await stopLeftoverProcesses();
  stopBackgroundServices();
});
