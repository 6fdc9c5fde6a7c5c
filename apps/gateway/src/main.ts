import { bootstrapService } from '@tf/messaging';
import { GatewayModule } from './gateway.module';

void bootstrapService({ service: 'gateway', module: GatewayModule, port: 10080 });
