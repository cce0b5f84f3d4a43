import { runDeployable } from '@mekong/common';
import { ConsultationAppModule } from './consultation-app.module';

void runDeployable('consultation', (config) => ConsultationAppModule.register(config));
