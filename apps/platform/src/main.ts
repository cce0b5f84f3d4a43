import { runDeployable } from '@mekong/common';
import { PlatformModule } from './platform.module';

void runDeployable('platform', (config) => PlatformModule.register(config));
