import { DynamicModule, Type } from '@nestjs/common';
import { MODULE_METADATA } from '@nestjs/common/constants';
import { PATTERN_METADATA } from '@nestjs/microservices/constants';
import { PIPELINE_CONSUMER_GROUPS } from '@tf/contracts';
import { MESSAGING_OPTIONS, MessagingOptions } from '@tf/messaging';
import { GatewayModule } from '../../apps/gateway/src/gateway.module';
import { HlsModule } from '../../apps/hls/src/hls.module';
import { NotifierModule } from '../../apps/notifier/src/notifier.module';
import { TranscoderModule } from '../../apps/transcoder/src/transcoder.module';
import { TranscriberModule } from '../../apps/transcriber/src/transcriber.module';
import { ValidatorModule } from '../../apps/validator/src/validator.module';

type AnyModule = Type | DynamicModule;

/** Every module reachable from an app's root module (static and dynamic). */
function modulesOf(root: AnyModule, seen = new Set<AnyModule>()): AnyModule[] {
  if (seen.has(root)) return [];
  seen.add(root);
  const type = 'module' in root ? root.module : root;
  const imports: AnyModule[] = [
    ...((Reflect.getMetadata(MODULE_METADATA.IMPORTS, type) as AnyModule[] | undefined) ?? []),
    ...('module' in root ? ((root.imports ?? []) as AnyModule[]) : []),
  ];
  return [root, ...imports.filter(Boolean).flatMap((m) => modulesOf(m, seen))];
}

/** The consumer group an app joins and the topics its @EventPattern handlers subscribe to. */
function subscriptionOf(app: Type): { group: string; topics: string[] } {
  const modules = modulesOf(app);
  const controllers = modules.flatMap((m) => [
    ...((Reflect.getMetadata(MODULE_METADATA.CONTROLLERS, 'module' in m ? m.module : m) as Type[] | undefined) ?? []),
    ...('module' in m ? (m.controllers ?? []) : []),
  ]);
  const topics = controllers.flatMap((c) =>
    Object.getOwnPropertyNames(c.prototype).flatMap(
      (method) => (Reflect.getMetadata(PATTERN_METADATA, c.prototype[method]) as string[] | undefined) ?? [],
    ),
  );
  const options = modules
    .flatMap((m) => ('module' in m ? (m.providers ?? []) : []))
    .map((p) => p as { provide?: unknown; useValue?: MessagingOptions })
    .find((p) => p.provide === MESSAGING_OPTIONS)?.useValue;
  if (!options) throw new Error(`${app.name} has no MessagingModule`);
  return { group: options.groupId ?? `tf-${options.service}`, topics: [...new Set(topics)].sort() };
}

describe('PIPELINE_CONSUMER_GROUPS (the registry the lag collector and tflow ops status read)', () => {
  const apps: Type[] = [ValidatorModule, TranscoderModule, TranscriberModule, HlsModule, GatewayModule, NotifierModule];

  it.each(apps.map((app) => [app.name, app] as const))(
    "%s: its group and its handlers' topics are the registry's entry",
    (_name, app) => {
      const { group, topics } = subscriptionOf(app);
      const entry = PIPELINE_CONSUMER_GROUPS.find((g) => g.group === group);
      expect(entry).toBeDefined();
      expect([...entry!.topics].sort()).toEqual(topics);
    },
  );

  it('lists each app once', () => {
    const groups = apps.map((app) => subscriptionOf(app).group);
    expect(PIPELINE_CONSUMER_GROUPS.map((g) => g.group).sort()).toEqual([...groups].sort());
  });
});
