import { bootstrapService } from '@tf/messaging';
import { HlsModule } from './hls.module';

void bootstrapService({ service: 'hls', module: HlsModule, port: 10083 });
