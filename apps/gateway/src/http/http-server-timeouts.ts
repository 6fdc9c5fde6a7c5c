import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Server } from 'node:http';
import { GATEWAY_CONFIG, GatewayConfig } from '../config/gateway.config';

/** Node gives a request 5 minutes to arrive by default: far too short for a multi-GiB upload. */
@Injectable()
export class HttpServerTimeouts implements OnApplicationBootstrap {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  onApplicationBootstrap(): void {
    const server = this.adapterHost.httpAdapter?.getHttpServer() as Server | undefined;
    if (server) server.requestTimeout = this.config.requestTimeoutMs;
  }
}
