import { stopBackgroundServices } from './stop-services';

afterAll(() => stopBackgroundServices());
