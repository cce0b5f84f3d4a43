import { runDeployable } from '@mekong/common';
import { HealthRecordAppModule } from './health-record-app.module';

void runDeployable('health-record', (config) => HealthRecordAppModule.register(config));
