import { bootstrapService } from '@tf/runtime';
import { NotifierModule } from './notifier.module';

void bootstrapService({ service: 'notifier', module: NotifierModule, port: 10085 });
