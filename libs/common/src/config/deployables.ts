/**
 * The deployables and how an ingress routes public paths to them. The single source for
 * default ports and routes: the apps' bootstrap, docker/ files and their test read it.
 */
export type DeployableName = 'platform' | 'health-record' | 'scheduling' | 'consultation';

export interface Deployable {
  readonly name: DeployableName;
  readonly defaultPort: number;
  /** Public path prefixes an ingress sends to this deployable (split deployment). */
  readonly routes: readonly string[];
}

export const DEPLOYABLES: Readonly<Record<DeployableName, Deployable>> = {
  platform: { name: 'platform', defaultPort: 3000, routes: ['/'] },
  'health-record': {
    name: 'health-record',
    defaultPort: 3001,
    // Everything under /fhir that scheduling does not own, plus identity (auth) and discovery.
    routes: ['/fhir', '/auth', '/.well-known'],
  },
  scheduling: {
    name: 'scheduling',
    defaultPort: 3002,
    routes: ['/fhir/Schedule', '/fhir/Slot', '/fhir/Appointment', '/scheduling'],
  },
  consultation: {
    name: 'consultation',
    defaultPort: 3003,
    routes: ['/consultation', '/socket.io'],
  },
};
