import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import type { Scope } from './api-key';
import { isKeyId } from './api-keys.repository';
import { ApiKeysService, AuthenticatedKey, keyNotFound } from './api-keys.service';
import { GATEWAY_CONFIG, GatewayConfig } from '../config/gateway.config';
import { ApiError } from '../http/api-error';
import { KeyLimits, NO_OVERRIDES, effectiveLimits, limitsAbove, mergeLimits } from '../limits/key-limits';
import { LIMITS_CONFIG, LimitsConfig } from '../limits/limits.config';
import { CreateKeyDto, ListKeysQuery } from './admin-keys.dto';
import { CreatedKeyDto, KeyDto, RotatedKeyDto, toKeyView } from './key-view';

/**
 * The admin API's rules over ApiKeysService. A tenant admin (scope admin) manages its own tenant's
 * keys only: another tenant's key answers 404 KEY_NOT_FOUND like an unknown one, creating one for
 * another tenant 403 TENANT_FORBIDDEN. It cannot make platform admins, touch a platform admin's key,
 * or hand out more rate limit or quota than its own key has (unset limits are inherited from it).
 * A platform admin (the bootstrap key, or keys made with platform_admin) manages every tenant.
 */
@Injectable()
export class AdminKeysService {
  constructor(
    private readonly keys: ApiKeysService,
    @Inject(LIMITS_CONFIG) private readonly limitsConfig: LimitsConfig,
    @Inject(GATEWAY_CONFIG) private readonly gateway: GatewayConfig,
  ) {}

  async create(caller: AuthenticatedKey, dto: CreateKeyDto): Promise<CreatedKeyDto> {
    const tenantId = dto.tenant_id ?? caller.tenantId;
    let limits: KeyLimits;
    if (caller.platformAdmin) {
      limits = mergeLimits(NO_OVERRIDES, dto.limits);
    } else {
      if (tenantId !== caller.tenantId)
        throw new ApiError(
          HttpStatus.FORBIDDEN,
          'TENANT_FORBIDDEN',
          'An admin key manages the keys of its own tenant only',
        );
      if (dto.platform_admin) throw platformAdminRequired('make a platform admin key');
      const own = caller.limits ?? NO_OVERRIDES;
      limits = mergeLimits(own, dto.limits);
      const above = limitsAbove(this.effective(limits), this.effective(own));
      if (above.length)
        throw new ApiError(
          HttpStatus.FORBIDDEN,
          'LIMIT_ABOVE_OWN',
          `A key cannot be given more than the admin key has: ${above.join(', ')}`,
        );
    }
    const created = await this.keys.create(tenantId, dto.scopes as Scope[], dto.name ?? null, {
      platformAdmin: dto.platform_admin ?? false,
      limits,
    });
    return { ...toKeyView(created.row), key: created.key };
  }

  async list(caller: AuthenticatedKey, query: ListKeysQuery): Promise<KeyDto[]> {
    const tenant = caller.platformAdmin ? query.tenant_id : caller.tenantId;
    // A tenant admin asking for another tenant sees nothing, not an error that would tell tenants apart.
    if (!caller.platformAdmin && query.tenant_id !== undefined && query.tenant_id !== caller.tenantId) return [];
    const now = new Date();
    return (await this.keys.list(tenant))
      .map((r) => toKeyView(r, now))
      .filter((v) => !query.state || v.state === query.state);
  }

  async get(caller: AuthenticatedKey, id: string): Promise<KeyDto> {
    return toKeyView(await this.keys.get(id, this.scope(caller)));
  }

  async rotate(caller: AuthenticatedKey, id: string, graceSeconds = 0): Promise<RotatedKeyDto> {
    await this.assertManageable(caller, id);
    const rotated = await this.keys.rotate(id, graceSeconds, this.scope(caller));
    return { ...toKeyView(rotated.row), key: rotated.key, replaced: toKeyView(rotated.old) };
  }

  async revoke(caller: AuthenticatedKey, id: string): Promise<KeyDto> {
    await this.assertManageable(caller, id);
    return toKeyView(await this.keys.revokeKey(id, this.scope(caller)));
  }

  /** The tenant a caller is confined to (undefined: all, for a platform admin). */
  private scope(caller: AuthenticatedKey): string | undefined {
    return caller.platformAdmin ? undefined : caller.tenantId;
  }

  private async assertManageable(caller: AuthenticatedKey, id: string): Promise<void> {
    if (!isKeyId(id)) throw keyNotFound(id);
    const row = await this.keys.get(id, this.scope(caller));
    if (row.platformAdmin && !caller.platformAdmin)
      throw platformAdminRequired('rotate or revoke a platform admin key');
  }

  private effective(limits: KeyLimits) {
    return effectiveLimits(limits, this.limitsConfig, this.gateway.maxUploadBytes);
  }
}

const platformAdminRequired = (what: string) =>
  new ApiError(HttpStatus.FORBIDDEN, 'PLATFORM_ADMIN_REQUIRED', `Only a platform admin key may ${what}`);
