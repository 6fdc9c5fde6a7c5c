import { bootstrapService } from '@tf/runtime';
import { TranscoderModule } from './transcoder.module';

void bootstrapService({ service: 'transcoder', module: TranscoderModule, port: 10082 });
