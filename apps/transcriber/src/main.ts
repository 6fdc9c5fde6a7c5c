import { bootstrapService } from '@tf/runtime';
import { TranscriberModule } from './transcriber.module';

void bootstrapService({ service: 'transcriber', module: TranscriberModule, port: 10084 });
