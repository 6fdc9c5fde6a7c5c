import { stopBackgroundServices } from './stop-services';

export default function globalSetup(): void {
  stopBackgroundServices();
}
