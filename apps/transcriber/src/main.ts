import { bootstrapService } from '@tf/messaging';
import { TranscriberModule } from './transcriber.module';

void bootstrapService({ service: 'transcriber', module: TranscriberModule, port: 10084 });
