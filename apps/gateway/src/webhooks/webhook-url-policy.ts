import { EgressPolicy, literalDestinationProblem } from '@tf/egress';
import { ApiError } from '../http/api-error';

/**
 * 400 WEBHOOK_URL_FORBIDDEN for a webhook URL that points inside the platform's network (a private or
 * link-local IP, localhost), unless TF_WEBHOOK_ALLOW_PRIVATE_NETWORKS=true. This is the early, syntactic
 * answer; the notifier also checks where a name resolves, when it sends.
 */
export function assertWebhookUrlAllowed(url: string, egress: EgressPolicy): void {
  const problem = literalDestinationProblem(url, egress);
  if (problem)
    throw ApiError.badRequest('WEBHOOK_URL_FORBIDDEN', `Webhooks cannot be sent to ${new URL(url).host}: ${problem}`);
}
