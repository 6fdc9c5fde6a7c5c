import { bootstrapService } from '@tf/messaging';
import { TranscoderModule } from './transcoder.module';

void bootstrapService({ service: 'transcoder', module: TranscoderModule, port: 10082 });
