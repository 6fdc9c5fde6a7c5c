/**
 * The app's message consumer (a Nest CustomTransportStrategy), if it has one: libs/messaging's
 * MessagingModule provides its Kafka transport under this token, and bootstrapService connects it.
 * The token lives here so that starting an app needs no knowledge of Kafka.
 */
export const CONSUMER_TRANSPORT = Symbol('CONSUMER_TRANSPORT');
