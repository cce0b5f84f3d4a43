import 'reflect-metadata';
import type { DynamicModule, Type } from '@nestjs/common';
import { ConfigError, loadConfig, type AppConfig } from '../config/app-config';
import { DEPLOYABLES, type DeployableName } from '../config/deployables';
import { createApp } from './create-app';

function say(service: string, msg: string): void {
  process.stdout.write(`${JSON.stringify({ level: 30, time: Date.now(), service, msg })}\n`);
}

/**
 * The whole of a deployable's main.ts: validate the environment (a bad value stops the process
 * naming the variable), listen, run startup tasks, and shut down gracefully on SIGTERM/SIGINT.
 */
export async function runDeployable(
  name: DeployableName,
  rootModule: (config: AppConfig) => Type | DynamicModule,
): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig(process.env, { port: DEPLOYABLES[name].defaultPort });
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`${name}: ${err.message}\n`);
    process.exit(1);
  }

  try {
    const { app } = await createApp(rootModule(config), config);
    // Graceful shutdown: stop accepting, let in-flight requests finish, close the database and
    // media workers (Nest shutdown hooks), exit 0; after shutdownTimeoutMs, exit 1 regardless.
    let stopping = false;
    const stop = (signal: NodeJS.Signals): void => {
      if (stopping) return;
      stopping = true;
      say(name, `${signal}: shutting down`);
      setTimeout(() => process.exit(1), config.shutdownTimeoutMs).unref();
      app.close().then(
        () => process.exit(0),
        (err: unknown) => {
          process.stderr.write(`${name}: shutdown failed: ${String(err)}\n`);
          process.exit(1);
        },
      );
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
    say(name, `${name} ready on ${config.host}:${config.port}`);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`${name}: failed to start: ${message}\n`);
    process.exit(1);
  }
}
