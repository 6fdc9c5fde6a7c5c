import { bootstrapService } from '@tf/runtime';
import { ValidatorModule } from './validator.module';

void bootstrapService({ service: 'validator', module: ValidatorModule, port: 10081 });
