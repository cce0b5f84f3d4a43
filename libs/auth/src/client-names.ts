/**
 * The registered names of OAuth clients (`POST /auth/clients` {name}), so the record's audit trail
 * can name a system client the way it was registered ("Hệ thống HIS Bệnh viện Chợ Rẫy") instead of
 * its `mh-…` id in "who viewed my record". Provided by the issuer (ClientService); absent where the
 * identity schema is not deployed, and then the id is shown.
 */
export const CLIENT_NAMES = Symbol('CLIENT_NAMES');

export interface ClientNames {
  /** Name by client id, for the ids that are registered clients (revoked ones too). */
  names(clientIds: readonly string[]): Promise<ReadonlyMap<string, string>>;
}
