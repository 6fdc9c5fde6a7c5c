import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { runtimeEnv } from '@tf/runtime';
import { IncomingMessage, RequestListener, Server, createServer } from 'node:http';
import { GATEWAY_CONFIG, GatewayConfig } from '../config/gateway.config';
import { CONSOLE_CONFIG, ConsoleConfig } from './console.config';
import { consoleFiles } from './console-files';

/**
 * The console's own listener (TF_CONSOLE_PORT on TF_HTTP_HOST): the SAME Express app as the API's port
 * (same routes, keys, rate limits), so the browser reaches the files and the API on one origin and
 * needs no CORS. The files are served only to this listener's requests, after the API's routes.
 */
@Injectable()
export class ConsoleListener implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(ConsoleListener.name);
  private readonly consoleRequests = new WeakSet<IncomingMessage>();
  private server?: Server;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(CONSOLE_CONFIG) private readonly config: ConsoleConfig,
    @Inject(GATEWAY_CONFIG) private readonly gateway: GatewayConfig,
  ) {}

  // onModuleInit runs after Nest registered the controllers' routes and before its 404 handler: the
  // files come after every API route, and an unknown path still gets the API's 404.
  async onModuleInit(): Promise<void> {
    if (this.config.port === 0) return;
    const adapter = this.adapterHost.httpAdapter;
    adapter.use(consoleFiles(this.config.dir, (req) => this.consoleRequests.has(req)));
    const app = adapter.getInstance<RequestListener>();
    const server = createServer((req, res) => {
      this.consoleRequests.add(req);
      app(req, res);
    });
    server.requestTimeout = this.gateway.requestTimeoutMs;
    const host = runtimeEnv().TF_HTTP_HOST;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.config.port, host, () => resolve());
    });
    this.server = server;
    this.logger.log(`console on http://${host}:${this.config.port} (files from ${this.config.dir})`);
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    // Open SSE streams would hold close() forever.
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
