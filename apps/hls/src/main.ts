import { bootstrapService } from '@tf/runtime';
import { HlsModule } from './hls.module';

void bootstrapService({ service: 'hls', module: HlsModule, port: 10083 });
