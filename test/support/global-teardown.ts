import { stopBackgroundServices } from './stop-services';

// The last @tf-background-services file leaves the six services running (after-each-file.ts).
export default function globalTeardown(): void {
  stopBackgroundServices();
}
