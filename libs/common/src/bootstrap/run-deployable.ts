import 'reflect-metadata';
import type { DynamicModule, Type } from '@nestjs/common';
import { ConfigError, loadConfig, type AppConfig } from '../config/app-config';
import { DEPLOYABLES, type DeployableName } from '../config/deployables';
import { createApp } from './create-app';

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
    if (err instanceof ConfigError) {
      process.stderr.write(`${name}: ${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }

  let stopping = false;
  const forceExit = (): void => {
    if (stopping) return;
    stopping = true;
    // In-flight requests get shutdownTimeoutMs to finish; after that the process ends anyway.
    setTimeout(() => process.exit(1), config.shutdownTimeoutMs).unref();
  };
  process.once('SIGTERM', forceExit);
  process.once('SIGINT', forceExit);

  try {
    await createApp(rootModule(config), config, { shutdownHooks: true });
    process.stdout.write(
      `${JSON.stringify({ level: 30, service: name, msg: `${name} ready on ${config.host}:${config.port}` })}\n`,
    );
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`${name}: failed to start: ${message}\n`);
    process.exit(1);
  }
}
