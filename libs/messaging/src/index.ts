export * from './kafka-config';
export * from './avro-codec';
export * from './errors';
export * from './message-outcomes';
export * from './retry-policy';
export * from './consumer-config';
export * from './retry';
export * from './trace-headers';
export * from './topics-admin';
export * from './outbox/outbox-message.entity';
export * from './outbox/outbox-writer';
export * from './outbox/outbox-relay';
export * from './direct/direct-publisher';
export * from './inbox/inbox-entry.entity';
export * from './inbox/inbox';
export * from './transport/kafka-avro.context';
export * from './transport/kafka-avro.transport';
export * from './transport/dead-letter';
export * from './transport/dead-letter-queue';
export * from './transport/keyed-dispatcher';
export * from './group-status';
export * from './messaging.module';
import { InboxEntry } from './inbox/inbox-entry.entity';
import { CreateOutboxInbox1764460000000 } from './migrations/1764460000000-create-outbox-inbox';
import { OutboxMessage } from './outbox/outbox-message.entity';

/** Entities and migrations every service's DataSource includes. */
export const messagingEntities = [OutboxMessage, InboxEntry];
export const messagingMigrations = [CreateOutboxInbox1764460000000];
