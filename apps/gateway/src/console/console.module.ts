import { Module } from '@nestjs/common';
import { CONSOLE_CONFIG, consoleConfig } from './console.config';
import { ConsoleListener } from './console-listener';

/** The web console (apps/console, built into TF_CONSOLE_DIR) on its own port, same app and origin as the API. */
@Module({
  providers: [{ provide: CONSOLE_CONFIG, useFactory: () => consoleConfig() }, ConsoleListener],
})
export class ConsoleModule {}
