import { consumerConfigFromEnv } from './consumer-config';
import { kafkaSessionTimeoutMs } from './kafka-config';
import { DEFAULT_RETRY_POLICY, retryPolicyFromEnv } from './retry-policy';

// Every variable of libs/messaging goes through MessagingEnv: a bad value stops start-up naming it (it used to become NaN).
describe('messaging settings from the environment', () => {
  it('refuses a retry setting that is not a whole number, naming it (no NaN attempts)', () => {
    expect(() => retryPolicyFromEnv({ TF_RETRY_MAX_ATTEMPTS: 'abc' })).toThrow(
      /TF_RETRY_MAX_ATTEMPTS must be an integer number.*\(got "abc"\)/,
    );
    expect(() => retryPolicyFromEnv({ TF_RETRY_MAX_ATTEMPTS: '0' })).toThrow(
      /TF_RETRY_MAX_ATTEMPTS must not be less than 1/,
    );
    expect(() => retryPolicyFromEnv({ TF_RETRY_BASE_DELAY_MS: '1s' })).toThrow(/TF_RETRY_BASE_DELAY_MS/);
    expect(() => retryPolicyFromEnv({ TF_RETRY_MAX_DELAY_MS: '-5' })).toThrow(/TF_RETRY_MAX_DELAY_MS/);
    expect(retryPolicyFromEnv({})).toEqual(DEFAULT_RETRY_POLICY);
  });

  it('refuses bad consumer and shutdown settings, naming them', () => {
    expect(() => consumerConfigFromEnv(2, { TF_CONSUMER_CONCURRENCY: '0' })).toThrow(/TF_CONSUMER_CONCURRENCY/);
    expect(() => consumerConfigFromEnv(2, { TF_SHUTDOWN_GRACE_MS: 'soon' })).toThrow(/TF_SHUTDOWN_GRACE_MS/);
    expect(consumerConfigFromEnv(2, { TF_CONSUMER_CONCURRENCY: '3' })).toMatchObject({ concurrency: 3 });
    expect(consumerConfigFromEnv(2, {})).toMatchObject({ concurrency: 2 });
  });

  it('reads the Kafka session timeout, 30 s by default', () => {
    expect(kafkaSessionTimeoutMs({})).toBe(30_000);
    expect(kafkaSessionTimeoutMs({ TF_KAFKA_SESSION_TIMEOUT_MS: '6000' })).toBe(6_000);
    expect(() => kafkaSessionTimeoutMs({ TF_KAFKA_SESSION_TIMEOUT_MS: '30s' })).toThrow(/TF_KAFKA_SESSION_TIMEOUT_MS/);
  });
});
