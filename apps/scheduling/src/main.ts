import { runDeployable } from '@mekong/common';
import { SchedulingAppModule } from './scheduling-app.module';

void runDeployable('scheduling', (config) => SchedulingAppModule.register(config));
